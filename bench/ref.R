# The analysis benchmark's reference in base R (bench/analysis_bench.sh):
# reads the synthetic CSV (scripts/synth.py) and computes the descriptive
# statistics the bench plan asks of `analysis report` (bench/plan_bench.json):
# per numeric item and score n, mean, SD, median and quartiles (type 7);
# per categorical item the count of every code; and one Welch comparison,
# PEG by current kratom use (kratom_use 2, "now") against never (0).
# Scores are written out from docs/forms.md (all their items are required,
# so no proration): peg = mean of the three PEG items, phq8, gad7 and sss =
# sums. Prints "key value" lines for the checked values.
#
#   Rscript bench/ref.R FILE.csv
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])

numeric_items <- c("peg_pain", "peg_enjoy", "peg_activity", "nrs_fatigue",
  "nrs_sleep", "nrs_stiffness", "kratom_days_week", "sss_fatigue",
  "sss_unrefreshed", "sss_cognitive", paste0("phq8_", 1:8),
  paste0("gad7_", 1:7),
  paste0(c("exercise", "cbt", "pt", "yoga", "acupuncture", "massage",
    "duloxetine", "milnacipran", "pregabalin", "gabapentin", "amitriptyline",
    "cyclobenzaprine", "nsaid", "paracetamol", "tramadol", "opioid",
    "cannabis", "kratom"), "_use"))
scores <- list(
  peg = rowMeans(d[, c("peg_pain", "peg_enjoy", "peg_activity")]),
  phq8 = rowSums(d[, paste0("phq8_", 1:8)]),
  gad7 = rowSums(d[, paste0("gad7_", 1:7)]),
  sss = rowSums(d[, c("sss_fatigue", "sss_unrefreshed", "sss_cognitive",
    "sss_headache", "sss_abdominal", "sss_depression")]))

desc <- function(x) {
  x <- x[!is.na(x)]
  q <- quantile(x, c(.25, .5, .75), type = 7, names = FALSE)
  c(n = length(x), mean = mean(x), sd = sd(x), q1 = q[1], median = q[2],
    q3 = q[3])
}
stats <- lapply(c(lapply(numeric_items, function(v) d[[v]]), scores), desc)
names(stats) <- c(numeric_items, names(scores))

# Categorical: every other column except the multiple choices (";" lists
# read as text) and the period.
categorical <- setdiff(names(d)[vapply(d, is.numeric, TRUE)],
  c(numeric_items, "period"))
counts <- lapply(categorical, function(v) table(d[[v]]))
names(counts) <- categorical

kr <- d$kratom_use
a <- scores$peg[!is.na(kr) & kr == 2]
b <- scores$peg[!is.na(kr) & kr == 0]
tt <- t.test(a, b)

f <- function(k, x) cat(k, " ", sprintf("%.17g", x), "\n", sep = "")
for (v in c("peg", "phq8", "gad7", "nrs_sleep", "kratom_days_week"))
  for (s in c("n", "mean", "sd", "median", "q1", "q3"))
    f(paste0(v, ".", s), stats[[v]][[s]])
f("age_band.count.4", counts$age_band[["4"]])
f("country.count.1", counts$country[["1"]])
f("dx_years.count.4", counts$dx_years[["4"]])
f("welch.n_a", length(a))
f("welch.n_b", length(b))
f("welch.difference", mean(a) - mean(b))
f("welch.t", tt$statistic[[1]])
f("welch.df", tt$parameter[[1]])
f("welch.p", tt$p.value)
f("computed.numeric", length(stats))
f("computed.categorical", length(counts))
