# Times lme4 on the two large designs of issue 15 and writes bench/large-times.json (one fit each:
# minutes): three crossed factors on 2,000,000 rows, and a binomial GLMM with 200,000 groups on
# 1,000,000 rows. Run from the repository root after `npm run bench -- crossed3_2m binomial_200k`
# has written bench/out/crossed3_2m.csv and bench/out/binomial_200k.csv:
#   flock /tmp/bench.lock Rscript bench/large.R
# Needs r-base-core, r-cran-lme4 and r-cran-jsonlite.
suppressPackageStartupMessages({ library(lme4); library(jsonlite) })
times <- list()
cr <- read.csv("bench/out/crossed3_2m.csv", stringsAsFactors = TRUE)
times$crossed3_2m <- system.time(lmer(y ~ x + (1 | a) + (1 | b) + (1 | c), cr))[["elapsed"]]
cat("crossed3_2m", times$crossed3_2m, "\n")
rm(cr); gc()
bi <- read.csv("bench/out/binomial_200k.csv", stringsAsFactors = TRUE)
times$binomial_200k <- system.time(glmer(y ~ x + (1 | g), bi, family = binomial))[["elapsed"]]
cat("binomial_200k", times$binomial_200k, "\n")
times$versions <- list(R = R.version.string, lme4 = as.character(packageVersion("lme4")))
writeLines(toJSON(times, auto_unbox = TRUE, digits = 6, pretty = TRUE), "bench/large-times.json")
