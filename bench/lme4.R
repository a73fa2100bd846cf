# Times lme4 on the benchmark cases, in-process, on this machine, and writes bench/lme4-times.json
# (median of several fits after a warm-up, like bench/bench.ts).
# Run from the repository root after `npm run bench` has written bench/out/*.csv:
#   Rscript bench/lme4.R
# Needs r-base-core, r-cran-lme4 and r-cran-jsonlite (Debian packages).
suppressPackageStartupMessages({ library(lme4); library(jsonlite) })

times <- list()
median_time <- function(f, reps) {
  f()
  t <- sapply(seq_len(reps), function(i) system.time(f())[["elapsed"]])
  median(t)
}
read_case_data <- function(path, factors) {
  d <- read.csv(path, stringsAsFactors = FALSE)
  for (v in names(d)) {
    if (is.character(d[[v]]) || v %in% factors) {
      x <- as.character(d[[v]])
      d[[v]] <- factor(x, levels = sort(unique(x), method = "radix"))
    }
  }
  d
}
for (f in sort(list.files("test/fixtures/cases", pattern = "\\.json$", full.names = TRUE))) {
  c <- fromJSON(f)
  d <- read_case_data(file.path("test/fixtures/data", c$data), unlist(c$factors))
  fam <- c$family
  if (fam == "gaussian") {
    run <- function() lmer(as.formula(c$formula), d, REML = isTRUE(c$reml))
  } else {
    d$.w <- if (!is.null(c$weights)) d[[c$weights]] else 1
    family <- if (is.null(c$link)) get(fam)() else get(fam)(link = c$link)
    run <- function() glmer(as.formula(c$formula), d, family = family, nAGQ = c$nAGQ, weights = .w)
  }
  times[[c$id]] <- tryCatch(median_time(run, 5), error = function(e) NA)
  cat(c$id, times[[c$id]], "\n")
}
big <- read.csv("bench/out/slopes_1m.csv", stringsAsFactors = TRUE)
times$slopes_1m <- median_time(function() lmer(y ~ x + (x | g), big), 3)
cat("slopes_1m", times$slopes_1m, "\n")
cr <- read.csv("bench/out/crossed_70k.csv", stringsAsFactors = TRUE)
times$crossed_70k <- median_time(function() lmer(y ~ 1 + (1 | s) + (1 | d), cr), 3)
cat("crossed_70k", times$crossed_70k, "\n")
writeLines(toJSON(times, auto_unbox = TRUE, digits = 6, pretty = TRUE), "bench/lme4-times.json")
