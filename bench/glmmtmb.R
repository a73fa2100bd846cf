# Times glmmTMB on the glmmTMB benchmark cases (test/fixtures/glmmtmb), in-process, on this
# machine, and writes bench/glmmtmb-times.json (median of 5 fits after a warm-up, like
# bench/bench.ts), with glmmTMB's default settings.
# Run from the repository root:  Rscript bench/glmmtmb.R [CASE_ID ...]
# (with case ids, only those are timed and updated in the JSON file).
# Needs r-base-core, r-cran-glmmtmb and r-cran-jsonlite (Debian packages).
suppressPackageStartupMessages({ library(glmmTMB); library(jsonlite) })

median_time <- function(f, reps) {
  f()
  median(sapply(seq_len(reps), function(i) system.time(f())[["elapsed"]]))
}
read_case_data <- function(path, factors, groups) {
  d <- read.csv(path, stringsAsFactors = FALSE)
  for (v in names(d)) {
    if (is.character(d[[v]]) || v %in% c(factors, groups)) {
      x <- as.character(d[[v]])
      d[[v]] <- factor(x, levels = sort(unique(x), method = "radix"))
    }
  }
  d
}
only <- commandArgs(trailingOnly = TRUE)
out <- "bench/glmmtmb-times.json"
times <- if (length(only) > 0 && file.exists(out)) as.list(fromJSON(out)) else list()
for (f in sort(list.files("test/fixtures/glmmtmb", pattern = "\\.json$", full.names = TRUE))) {
  c <- fromJSON(f)
  if (length(only) > 0 && !(c$id %in% only)) next
  form <- as.formula(c$formula)
  groups <- unique(unlist(lapply(lme4::findbars(form), function(b) all.vars(b[[3]]))))
  d <- read_case_data(file.path("test/fixtures/data", c$data), unlist(c$factors), groups)
  fam <- switch(c$family, nbinom2 = nbinom2(link = c$link), nbinom1 = nbinom1(link = c$link),
                Gamma = Gamma(link = c$link), poisson = poisson(link = c$link),
                gaussian = gaussian(link = c$link))
  start <- if (c$family == "Gamma" && c$link == "inverse") list(beta = c(0.5, 0)) else NULL
  run <- function() glmmTMB(form, d, family = fam, REML = isTRUE(c$reml), start = start)
  times[[c$id]] <- tryCatch(median_time(run, 5), error = function(e) NA)
  cat(c$id, times[[c$id]], "\n")
}
times <- times[order(names(times))]
writeLines(toJSON(times, auto_unbox = TRUE, digits = 6, pretty = TRUE), out)
