# Checks a row-level export loaded by its load.R against the CSV that was
# imported (read here directly, not through Candor). Usage:
#   Rscript r_check.R EXPORT_DIR IMPORTED_CSV
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
src <- read.csv(args[2], na.strings = "", colClasses = "character")
source(file.path(dir, "load.R"), chdir = TRUE) # leaves `candor`
raw <- read.csv(file.path(dir, "data.csv"), na.strings = "")
cb <- read.csv(file.path(dir, "codebook.csv"), na.strings = "",
  colClasses = "character")

fails <- 0
check <- function(ok, what) {
  if (!isTRUE(ok)) {
    cat("FAIL:", what, "\n")
    fails <<- fails + 1
  }
}

n <- nrow(src)
check(nrow(candor) == n, "number of rows")
check(identical(sort(candor$row), seq_len(n)), "rows numbered 1..n")
check(!("notes" %in% names(candor)), "no free text")

# The codebook's value labels of v: codes, labels, missing codes.
labels_of <- function(v) {
  e <- cb[cb$variable == v, ]
  pairs <- strsplit(strsplit(e$values, ";", fixed = TRUE)[[1]], "=",
    fixed = TRUE)
  miss <- if (is.na(e$missing_codes)) integer(0) else
    as.integer(strsplit(e$missing_codes, ";", fixed = TRUE)[[1]])
  list(codes = as.integer(sapply(pairs, `[`, 1)),
    labels = sapply(pairs, function(p) paste(p[-1], collapse = "=")),
    miss = miss, level = e$generalization_level, label = e$label)
}

# The hierarchy levels of the form file, for age_band and sex.
age_levels <- list("0" = c("18-24", "25-34", "35-44", "45-54", "55-64",
    "65-74", "75 or older"),
  "1" = c("18-34", "35-44", "45-54", "55-64", "65 or older"),
  "2" = c("18-34", "35-54", "55 or older"))
age_groups <- list("0" = list(1, 2, 3, 4, 5, 6, 7),
  "1" = list(1:2, 3, 4, 5, 6:7), "2" = list(1:2, 3:4, 5:7))

for (v in c("age_band", "sex", "country", "employment", "dx_years")) {
  l <- labels_of(v)
  x <- candor[[v]]
  keep <- !(l$codes %in% l$miss)
  check(identical(attr(x, "label"), l$label), paste(v, "label attribute"))
  # Missing codes ("prefer not to say", suppressed) and blanks are NA.
  check(sum(is.na(x)) == sum(is.na(raw[[v]]) | raw[[v]] %in% l$miss),
    paste(v, "NA for missing codes"))
  if (l$level == "*") {
    check(all(is.na(x)), paste(v, "fully suppressed"))
    next
  }
  check(is.factor(x), paste(v, "is a factor"))
  check(identical(levels(x), l$labels[keep]), paste(v, "factor levels"))
  for (i in which(keep))
    check(sum(x == l$labels[i], na.rm = TRUE) ==
      sum(raw[[v]] == l$codes[i], na.rm = TRUE), paste(v, l$labels[i]))
  # Against the imported file: each suppressed value (-8) takes one
  # answer away from its own group or from "prefer not to say".
  s <- as.integer(src[[v]])
  supp <- sum(raw[[v]] == -8, na.rm = TRUE)
  if (v == "age_band") {
    check(identical(levels(x), age_levels[[l$level]]), "age_band levels")
    g <- age_groups[[l$level]]
    lost <- sum(sapply(seq_along(g), function(i)
      sum(s %in% g[[i]]) - sum(as.integer(x) == i, na.rm = TRUE)))
    lost <- lost + sum(s == 99, na.rm = TRUE) -
      sum(raw$age_band == 99, na.rm = TRUE)
    check(lost == supp, "age_band: answers lost equal suppressed cells")
    check(all(sapply(seq_along(g), function(i)
      sum(as.integer(x) == i, na.rm = TRUE) <= sum(s %in% g[[i]]))),
      "age_band: no group grows")
  }
  if (v == "sex" && l$level == "0")
    check(identical(levels(x), c("Female", "Male", "Another")),
      "sex levels")
}

# Answers that are not quasi-identifiers leave unchanged: same means.
for (v in c("peg_pain", "peg_enjoy", "nrs_fatigue", "nrs_sleep")) {
  a <- mean(as.numeric(src[[v]]), na.rm = TRUE)
  b <- mean(candor[[v]], na.rm = TRUE)
  check(abs(a - b) < 1e-12, paste(v, "mean", a, b))
  check(sum(is.na(candor[[v]])) == sum(is.na(src[[v]])), paste(v, "NA"))
}
# Grid rows are factors of their scale labels, with the same counts.
for (v in c("sss_fatigue", "phq8_1")) {
  l <- labels_of(v)
  x <- candor[[v]]
  check(is.factor(x) && identical(levels(x), l$labels), paste(v, "levels"))
  for (i in seq_along(l$codes))
    check(sum(x == l$labels[i], na.rm = TRUE) ==
      sum(src[[v]] == as.character(l$codes[i]), na.rm = TRUE),
      paste(v, l$labels[i]))
}
# Multiple choice: one 0/1 column per option, blank when unanswered.
answered <- !is.na(src$wpi_sites)
for (o in c(1, 3, 19)) {
  col <- candor[[paste0("wpi_sites___", o)]]
  has <- grepl(paste0("(^|;)", o, "(;|$)"), src$wpi_sites[answered])
  check(sum(!is.na(col)) == sum(answered), paste("wpi_sites", o, "answered"))
  check(sum(col, na.rm = TRUE) == sum(has), paste("wpi_sites", o, "count"))
}

if (fails > 0) {
  cat(fails, "checks failed\n")
  quit(status = 1)
}
cat("r_check: all checks passed\n")
