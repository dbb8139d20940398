# Reference values for tests/analysis/test_report_reference.c, computed by R
# from the same fixture the test imports (tests/analysis/data/
# report_fixture.csv, made by scripts/synth.py --n 300 --seed 11).
# Regenerate with:
#   Rscript tests/reference/report.R > tests/analysis/data/report_reference.json
# Scores are written out here from docs/forms.md: peg = mean of the three
# PEG items, phq8 = sum of the eight PHQ-8 items (all required, so no
# proration). Groups: kratom_use == 2 (using now) vs kratom_use == 0 (never).
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(sub("^--file=", "", args[grep("^--file=", args)]))
d <- read.csv(file.path(here, "..", "analysis", "data", "report_fixture.csv"),
              colClasses = "character")
num <- function(v) as.numeric(ifelse(v == "", NA, v))
peg <- rowMeans(cbind(num(d$peg_pain), num(d$peg_enjoy), num(d$peg_activity)))
phq8 <- rowSums(sapply(paste0("phq8_", 1:8), function(v) num(d[[v]])))
pain <- num(d$peg_pain)
kr <- num(d$kratom_use)

f <- function(x) sprintf("%.17g", x)
desc <- function(x) {
  x <- x[!is.na(x)]
  q <- quantile(x, c(.25, .5, .75), type = 7)
  ci <- t.test(x)$conf.int
  sprintf(paste0('{"n": %d, "mean": %s, "sd": %s, "ci_lo": %s, "ci_hi": %s, ',
                 '"q1": %s, "median": %s, "q3": %s, "min": %s, "max": %s}'),
          length(x), f(mean(x)), f(sd(x)), f(ci[1]), f(ci[2]), f(q[1]),
          f(q[2]), f(q[3]), f(min(x)), f(max(x)))
}
a <- peg[kr == 2 & !is.na(kr)]
b <- peg[kr == 0 & !is.na(kr)]
tt <- t.test(a, b)
w <- wilcox.test(a, b, exact = FALSE, correct = TRUE)
cat("{\n")
cat(' "peg": ', desc(peg), ",\n", sep = "")
cat(' "peg_pain": ', desc(pain), ",\n", sep = "")
cat(' "phq8": ', desc(phq8), ",\n", sep = "")
cat(sprintf(paste0(' "welch_peg_kratom": {"n_a": %d, "n_b": %d, ',
                   '"difference": %s, "ci_lo": %s, "ci_hi": %s, "t": %s, ',
                   '"df": %s, "p": %s, "mw_w": %s, "mw_p": %s}\n'),
            length(a), length(b), f(mean(a) - mean(b)), f(tt$conf.int[1]),
            f(tt$conf.int[2]), f(tt$statistic), f(tt$parameter),
            f(tt$p.value), f(w$statistic), f(w$p.value)))
cat("}\n")
