# Reference values for tests/analysis/test_report_reference_v2.c, computed
# by R from the fixture the test imports (tests/analysis/data/
# report_fixture_v2.csv, made by scripts/synth.py --n 300 --seed 12 from
# version 2 of the default survey, kept as tests/analysis/data/
# report_form_v2.json). Regenerate with:
#   Rscript tests/reference/report_v2.R > tests/analysis/data/report_reference_v2.json
# Version 2 asks "now or only in the past?" (kratom_use and the others)
# only of those who ticked the therapy in therapies_ever, so "never" is
# "not ticked" (docs/plans.md, The default plan). The groups are written
# out here with R's NA logic, which is the plan's three-valued logic: a
# respondent whose condition is NA is in neither group. Scores from
# docs/forms.md: peg = mean of the three PEG items, phq8 = sum of the
# eight PHQ-8 items (all required, so no proration).
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(sub("^--file=", "", args[grep("^--file=", args)]))
d <- read.csv(file.path(here, "..", "analysis", "data",
                        "report_fixture_v2.csv"), colClasses = "character")
num <- function(v) as.numeric(ifelse(v == "", NA, v))
# therapies_ever has code k: NA when the question was not answered.
ticked <- function(k) {
  ifelse(d$therapies_ever == "", NA,
         sapply(strsplit(d$therapies_ever, ";"), function(x) k %in% x))
}
peg <- rowMeans(cbind(num(d$peg_pain), num(d$peg_enjoy), num(d$peg_activity)))
phq8 <- rowSums(sapply(paste0("phq8_", 1:8), function(v) num(d[[v]])))

groups <- list(
  kratom_current_vs_never = list(a = num(d$kratom_use) == 2, b = !ticked(18)),
  any_opioid_vs_none = list(
    a = ticked(16) | ticked(15),
    b = !ticked(16) & !ticked(15)),
  cannabis_current_vs_never = list(a = num(d$cannabis_use) == 2,
                                   b = !ticked(17)))

f <- function(x) sprintf("%.17g", x)
cmp <- function(y, g) {
  ina <- !is.na(g$a) & g$a
  inb <- !is.na(g$b) & g$b
  both <- ina & inb
  a <- y[ina & !both & !is.na(y)]
  b <- y[inb & !both & !is.na(y)]
  tt <- t.test(a, b)
  w <- wilcox.test(a, b, exact = FALSE, correct = TRUE)
  sprintf(paste0('{"n_a": %d, "n_b": %d, "difference": %s, "ci_lo": %s, ',
                 '"ci_hi": %s, "t": %s, "df": %s, "p": %s, "mw_w": %s, ',
                 '"mw_p": %s}'),
          length(a), length(b), f(mean(a) - mean(b)), f(tt$conf.int[1]),
          f(tt$conf.int[2]), f(tt$statistic), f(tt$parameter),
          f(tt$p.value), f(w$statistic), f(w$p.value))
}
out <- c()
for (gn in names(groups))
  for (on in c("peg", "phq8"))
    out <- c(out, sprintf(' "%s/%s": %s', gn, on,
                          cmp(if (on == "peg") peg else phq8, groups[[gn]])))
cat("{\n", paste(out, collapse = ",\n"), "\n}\n", sep = "")
