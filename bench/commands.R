# Times the whole command a user runs in R, one process per run (Rscript -e: read.csv, then
# lmerTest::lmer and summary, which prints the Satterthwaite t tests), for the cases of
# bench/command-cases.json, and the fit alone (lme4::lmer, in-process, after a warm-up); writes
# bench/command-times.json (median of several runs). bench/bench.ts times `mlm fit` on the same
# files beside these.
# Run from the repository root (exports mlmRev's star and lme4's InstEval to bench/out first):
#   flock /tmp/bench.lock Rscript bench/commands.R [REPS]
# Needs r-base-core, r-cran-lme4, r-cran-lmertest, r-cran-mlmrev and r-cran-jsonlite.
suppressPackageStartupMessages({ library(lme4); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
reps <- if (length(args) > 0) as.integer(args[1]) else 5

dir.create("bench/out", showWarnings = FALSE)
if (!file.exists("bench/out/star.csv")) {
  data("star", package = "mlmRev")
  cols <- c("math", "gr", "sx", "eth", "cltype", "id", "tch", "sch")
  s <- star[complete.cases(star[, cols]), cols]
  write.csv(s, "bench/out/star.csv", row.names = FALSE)
}
if (!file.exists("bench/out/InstEval.csv")) write.csv(lme4::InstEval, "bench/out/InstEval.csv", row.names = FALSE)

cases <- fromJSON("bench/command-cases.json", simplifyVector = FALSE)
versions <- list(R = R.version.string, lme4 = as.character(packageVersion("lme4")),
                 lmerTest = as.character(packageVersion("lmerTest")))
out <- list()
for (c in cases) {
  factors <- unlist(c$factors)
  conv <- if (length(factors) > 0) sprintf("for (v in %s) d[[v]] <- factor(d[[v]]);", deparse(factors)) else ""
  expr <- sprintf("suppressPackageStartupMessages(library(lmerTest)); d <- read.csv('%s'); %s print(summary(lmer(%s, d)))",
                  c$data, conv, c$formula)
  t <- sapply(seq_len(reps), function(i) system.time(system2("Rscript", c("-e", shQuote(expr)), stdout = FALSE))[["elapsed"]])
  d <- read.csv(c$data)
  for (v in factors) d[[v]] <- factor(d[[v]])
  f <- as.formula(c$formula)
  lmer(f, d)
  fit <- median(sapply(seq_len(max(3, reps %/% 2)), function(i) system.time(lmer(f, d))[["elapsed"]]))
  out[[c$id]] <- list(command = median(t), fit = fit)
  cat(c$id, "command", median(t), "fit", fit, "\n")
}
out$versions <- versions
writeLines(toJSON(out, auto_unbox = TRUE, digits = 6, pretty = TRUE), "bench/command-times.json")
