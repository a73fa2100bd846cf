# Times nlme (gls / lme, default controls) on the benchmark's nlme cases, in-process, on this
# machine, and writes bench/nlme-times.json (median of several fits after a warm-up, like
# bench/bench.ts). Run from the repository root after `npm run bench` has written
# bench/out/nlme_<n>.csv:
#   Rscript bench/nlme.R            (generated data up to 100,000 rows)
#   NLME_MAX_ROWS=1000000 Rscript bench/nlme.R
# Needs r-base-core, r-cran-nlme and r-cran-jsonlite (Debian packages).
suppressPackageStartupMessages({ library(nlme); library(jsonlite) })
source("test/fixtures/generate/common.R")

times <- list()
median_time <- function(f, reps) {
  f()
  t <- sapply(seq_len(reps), function(i) system.time(f())[["elapsed"]])
  median(t)
}
out <- "bench/nlme-times.json"
save <- function() writeLines(toJSON(times, auto_unbox = TRUE, digits = 6, pretty = TRUE), out)

# the reference fits of test/fixtures/nlme, as test/fixtures/generate/nlme.R makes them
for (f in sort(list.files("test/fixtures/nlme", pattern = "\\.json$", full.names = TRUE))) {
  c <- fromJSON(f)
  d <- read_fixture_csv(c$data, unlist(c$factors))
  corr <- if (is.null(c$correlation)) NULL else eval(parse(text = c$correlation))
  vf <- if (is.null(c$variance)) NULL else eval(parse(text = c$variance))
  run <- function() {
    args <- list(as.formula(c$nlme$fixed), data = d, method = c$method)
    if (!is.null(corr)) args$correlation <- corr
    if (!is.null(vf)) args$weights <- vf
    if (c$nlme$fun == "gls") do.call(gls, args) else {
      args$random <- as.formula(c$nlme$random)
      do.call(lme, args)
    }
  }
  id <- paste0("nlme_", c$id)
  times[[id]] <- tryCatch(median_time(run, 5), error = function(e) NA)
  cat(id, times[[id]], "\n")
}
save()

max_rows <- as.numeric(Sys.getenv("NLME_MAX_ROWS", "100000"))
models <- list(
  ar1_int = function(d) lme(y ~ x, random = ~ 1 | g, correlation = corAR1(form = ~ t | g), data = d),
  ar1_slope = function(d) lme(y ~ x, random = ~ t | g, correlation = corAR1(form = ~ t | g), data = d),
  varident = function(d) lme(y ~ x, random = ~ 1 | g, weights = varIdent(form = ~ 1 | s), data = d)
)
for (n in c(1000, 10000, 100000, 1000000)) {
  if (n > max_rows) next
  path <- sprintf("bench/out/nlme_%d.csv", n)
  if (!file.exists(path)) { cat("missing", path, "(run npm run bench first)\n"); next }
  d <- read.csv(path, stringsAsFactors = FALSE)
  d$g <- factor(d$g, levels = sort(unique(d$g), method = "radix"))
  d$s <- factor(d$s)
  for (m in names(models)) {
    id <- sprintf("%s_%d", m, n)
    reps <- if (n >= 100000) 1 else 3
    times[[id]] <- tryCatch(median_time(function() models[[m]](d), reps), error = function(e) { cat(id, conditionMessage(e), "\n"); NA })
    cat(id, times[[id]], "\n")
    save()
  }
}
save()
