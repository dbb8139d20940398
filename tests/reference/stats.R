# Reference values for the statistics library (analysis/stats*.c).
#
# Run from the repository root:   Rscript tests/reference/stats.R
# Needs r-base-core and r-cran-sandwich (Debian 12: R 4.2, sandwich 3.0).
#
# It builds fixed datasets (literal vectors, or draws after
# set.seed(20261125)), computes every statistic with R and writes, into
# tests/reference/:
#   stats_data.txt        the small datasets, tables and p-value vectors
#   stats_large.txt       100000 rows "scale cents bin" (value = cents / 100)
#   stats_<family>.expected   "name value" lines, one per number
# Data blocks read "@ name nrow ncol" followed by nrow lines of ncol values.
# Numbers are printed with sprintf("%.17g"), so the C tests (strtod) read
# exactly the doubles R used; NA marks a value R does not compute (an
# error, or NA/NaN in R's answer). The C side is tests/reference/stats_ref.h
# and tests/analysis/test_stats_*.c. All functions take complete data: no
# dataset here has missing values, as the caller removes them first.
#
# Formulas that base R lacks are written out here exactly as stats.h
# documents them: Hedges' g and its interval, the Woolf odds ratio with the
# Haldane-Anscombe correction, the Wald and Newcombe (method 10) intervals
# of a risk difference.

suppressPackageStartupMessages(library(sandwich))

dir <- "tests/reference"
if (!dir.exists(dir))
  stop("run from the repository root: Rscript tests/reference/stats.R")
set.seed(20261125)

fmt <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))

# ---------------------------------------------------------------------
# Data blocks.
blocks <- character()
block <- function(name, m) {
  if (is.null(dim(m))) m <- matrix(m, ncol = 1)
  lines <- if (nrow(m) == 0) character() else
    apply(m, 1, function(r) paste(fmt(r), collapse = " "))
  blocks <<- c(blocks, sprintf("@ %s %d %d", name, nrow(m), ncol(m)), lines)
  invisible(m)
}

# Expected values, per family.
expected <- list()
put <- function(family, name, value) {
  value <- as.numeric(value)
  if (length(value) != 1) stop("put: ", name, " has length ", length(value))
  expected[[family]] <<- c(expected[[family]], paste(name, fmt(value)))
}
header <- function(what) c(
  paste("#", what, "- written by tests/reference/stats.R; do not edit."),
  paste("#", R.version.string, "; sandwich", as.character(packageVersion("sandwich"))))
safely <- function(expr) tryCatch(suppressWarnings(expr), error = function(e) NULL)

# ---------------------------------------------------------------------
# The large dataset: a 0-10 item, a continuous score in cents, and a
# binary outcome that depends on both.
N <- 100000
large <- data.frame(
  scale = sample(0:10, N, replace = TRUE, prob = c(3, 4, 6, 8, 10, 12, 11, 9, 7, 5, 3)),
  cents = round(rnorm(N, 5000, 1500)))
large$bin <- rbinom(N, 1, plogis(-2 + 0.25 * large$scale + 0.01 * (large$cents / 100 - 50)))
writeLines(c(header("100000 rows: scale (0-10), cents (value = cents / 100), bin (0/1)"),
             sprintf("@ large %d 3", N),
             sprintf("%d %d %d", large$scale, as.integer(large$cents), large$bin)),
           file.path(dir, "stats_large.txt"))
L_scale <- large$scale
L_value <- large$cents / 100
L_bin <- large$bin

# ---------------------------------------------------------------------
# 1. Descriptives and histograms.
F <- "descriptive"
desc <- function(name, x) {
  n <- length(x)
  p <- function(k, v) put(F, paste0("desc.", name, ".", k), v)
  p("n", n)
  if (n == 0) {
    for (k in c("mean", "sd", "lo", "hi", "median", "q1", "q3", "min", "max")) p(k, NA)
    return(invisible())
  }
  ci <- safely(t.test(x)$conf.int)
  if (is.null(ci)) ci <- c(NA, NA)
  p("mean", mean(x)); p("sd", if (n > 1) sd(x) else NA)
  p("lo", ci[1]); p("hi", ci[2])
  p("median", median(x))
  p("q1", quantile(x, 0.25, type = 7, names = FALSE))
  p("q3", quantile(x, 0.75, type = 7, names = FALSE))
  p("min", min(x)); p("max", max(x))
}
hist_case <- function(name, x, breaks) {
  block(paste0("breaks_", name), breaks)
  h <- hist(x, breaks = breaks, plot = FALSE)
  for (i in seq_along(h$counts)) put(F, sprintf("hist.%s.%d", name, i), h$counts[i])
}

d <- list(
  empty = numeric(0),
  one = 4.2,
  two = c(3, 7.5),
  equal = rep(3.3, 6),
  ties = c(1, 1, 1, 2, 2, 3, 3, 3, 3, 10),
  norm = rnorm(25, 50, 12),
  skew = rexp(40, 0.2),
  neg = c(-5.5, -2, 0, 0, 1e-3, 3.25, -0.75),
  stiff = 1000000000 + c(0.2, 0.1, 0.3, 0.1, 0.3, 0.1, 0.3),
  scale = sample(0:10, 200, replace = TRUE))
for (nm in names(d)) { block(paste0("desc_", nm), d[[nm]]); desc(nm, d[[nm]]) }
desc("large_scale", L_scale)
desc("large_value", L_value)

hist_case("scale_mid", d$scale, seq(-0.5, 10.5, by = 1))  # 12 breaks: median width
hist_case("scale_int", d$scale, 0:10)                     # values on the breaks
hist_case("scale_3", d$scale, c(0, 5, 10))                # 3 breaks: fuzz from range(x)
hist_case("scale_4", d$scale, c(0, 3, 7, 10))             # 4 breaks: smallest width
hist_case("norm", d$norm, pretty(range(d$norm)))
hist_case("ties", d$ties, c(1, 2, 3, 10))
hist_case("large_scale", L_scale, seq(-0.5, 10.5, by = 1))
hist_case("large_value", L_value, pretty(range(L_value), n = 20))

# ---------------------------------------------------------------------
# 2. Proportions.
F <- "proportion"
props <- matrix(c(0, 10,  10, 10,  1, 1,  0, 1,  5, 20,  37, 120,  999, 100000,
                  50000, 100000,  1, 3,  0, 0), ncol = 2, byrow = TRUE)
block("props", props)
for (i in seq_len(nrow(props))) {
  x <- props[i, 1]; n <- props[i, 2]
  pt <- safely(prop.test(x, n, correct = FALSE))
  put(F, sprintf("prop.%d.p", i), if (n > 0) x / n else NA)
  put(F, sprintf("prop.%d.lo", i), if (is.null(pt)) NA else pt$conf.int[1])
  put(F, sprintf("prop.%d.hi", i), if (is.null(pt)) NA else pt$conf.int[2])
}

# ---------------------------------------------------------------------
# 3. Two-group comparisons and Spearman.
F <- "twogroup"
hedges <- function(x, y) {
  n1 <- as.numeric(length(x)); n2 <- as.numeric(length(y))
  if (n1 < 2 || n2 < 2) return(rep(NA, 5))
  sp <- sqrt(((n1 - 1) * var(x) + (n2 - 1) * var(y)) / (n1 + n2 - 2))
  if (sp == 0) return(rep(NA, 5))
  d <- (mean(x) - mean(y)) / sp
  J <- 1 - 3 / (4 * (n1 + n2 - 2) - 1)
  g <- J * d
  se <- sqrt((n1 + n2) / (n1 * n2) + g^2 / (2 * (n1 + n2)))
  z <- qnorm(0.975)
  c(d, g, se, g - z * se, g + z * se)
}
twogroup <- function(name, x, y, write = TRUE) {
  if (write) { block(paste0("tg_", name, "_x"), x); block(paste0("tg_", name, "_y"), y) }
  p <- function(k, v) put(F, paste0("tg.", name, ".", k), v)
  w <- safely(t.test(x, y))
  p("diff", if (is.null(w)) NA else w$estimate[1] - w$estimate[2])
  p("lo", if (is.null(w)) NA else w$conf.int[1])
  p("hi", if (is.null(w)) NA else w$conf.int[2])
  p("t", if (is.null(w)) NA else w$statistic)
  p("df", if (is.null(w)) NA else w$parameter)
  p("p", if (is.null(w)) NA else w$p.value)
  h <- hedges(x, y)
  p("d", h[1]); p("g", h[2]); p("g_se", h[3]); p("g_lo", h[4]); p("g_hi", h[5])
  m <- safely(wilcox.test(x, y, exact = FALSE, correct = TRUE))
  p("w", if (is.null(m)) NA else m$statistic)
  p("w_p", if (is.null(m)) NA else m$p.value)
}
twogroup("norm", rnorm(30, 10, 2), rnorm(25, 11, 3.5))
twogroup("scale", sample(0:10, 60, replace = TRUE),
         sample(0:10, 45, replace = TRUE, prob = 11:1))
twogroup("small", c(1.1, 2.2, 3.3), c(2, 4, 6, 8))
twogroup("one", 5, c(1, 2, 3))
twogroup("equal", rep(2, 3), rep(2, 4))
twogroup("onevar", rep(2, 3), c(1, 2, 3, 4))
twogroup("same", c(1, 2, 3, 4, 5), c(1, 2, 3, 4, 5))
twogroup("large_scale", L_scale[L_bin == 1], L_scale[L_bin == 0], write = FALSE)
twogroup("large_value", L_value[L_bin == 1], L_value[L_bin == 0], write = FALSE)

spearman <- function(name, x, y, write = TRUE) {
  if (write) block(paste0("sp_", name), cbind(x, y))
  p <- function(k, v) put(F, paste0("sp.", name, ".", k), v)
  r <- safely(cor.test(x, y, method = "spearman", exact = FALSE))
  # With 2 pairs R gives rho = +-1 and p = NA; stats_spearman() reports
  # "fewer than 3 pairs" instead: two points always have rho = +-1.
  ok <- !is.null(r) && !is.na(r$estimate) && length(x) >= 3
  p("rho", if (ok) r$estimate else NA)
  p("s", if (ok) r$statistic else NA)
  p("p", if (ok) r$p.value else NA)
}
sx <- round(rnorm(30), 1)
spearman("ties", sx, round(sx + rnorm(30), 0))
spearman("three", c(1, 2, 3), c(2, 1, 3))
spearman("two", c(1, 2), c(2, 1))
spearman("consty", c(1, 2, 3, 4), c(5, 5, 5, 5))
spearman("perfect", 1:10, exp(1:10))
spearman("negative", 1:10, -(1:10)^3)
spearman("weak", rnorm(50), rnorm(50))
spearman("large_scale_value", L_scale, L_value, write = FALSE)
spearman("large_scale_bin", L_scale, L_bin, write = FALSE)

# ---------------------------------------------------------------------
# 4. Contingency tables.
F <- "contingency"
ct <- function(name, tab) {
  block(paste0("ct_", name), tab)
  p <- function(k, v) put(F, paste0("ct.", name, ".", k), v)
  c0 <- safely(chisq.test(tab, correct = FALSE))
  p("chisq", if (is.null(c0)) NA else c0$statistic)
  p("df", (nrow(tab) - 1) * (ncol(tab) - 1))
  p("chisq_p", if (is.null(c0)) NA else c0$p.value)
  if (any(dim(tab) != 2)) return(invisible())
  c1 <- safely(chisq.test(tab, correct = TRUE))
  p("yates", if (is.null(c1)) NA else c1$statistic)
  p("yates_p", if (is.null(c1)) NA else c1$p.value)
  p("fisher_p", fisher.test(tab)$p.value)
  a <- tab[1, 1]; b <- tab[1, 2]; c <- tab[2, 1]; d <- tab[2, 2]
  z <- qnorm(0.975)
  # Odds ratio, Woolf interval, Haldane-Anscombe 0.5 when a cell is 0.
  if (a + b == 0 || c + d == 0 || a + c == 0 || b + d == 0) {
    or <- rep(NA, 4)
  } else {
    t2 <- c(a, b, c, d)
    if (any(t2 == 0)) t2 <- t2 + 0.5
    est <- (t2[1] * t2[4]) / (t2[2] * t2[3])
    se <- sqrt(sum(1 / t2))
    or <- c(est, se, exp(log(est) - z * se), exp(log(est) + z * se))
  }
  p("or", or[1]); p("or_logse", or[2]); p("or_lo", or[3]); p("or_hi", or[4])
  # Risk difference: Wald, and Newcombe's hybrid score (method 10).
  n1 <- a + b; n2 <- c + d
  if (n1 == 0 || n2 == 0) {
    rd <- rep(NA, 5)
  } else {
    p1 <- a / n1; p2 <- c / n2
    se <- sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    w1 <- suppressWarnings(prop.test(a, n1, correct = FALSE))$conf.int
    w2 <- suppressWarnings(prop.test(c, n2, correct = FALSE))$conf.int
    rd <- c(p1 - p2,
            if (se > 0) p1 - p2 - z * se else NA,
            if (se > 0) p1 - p2 + z * se else NA,
            p1 - p2 - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2),
            p1 - p2 + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2))
  }
  p("rd", rd[1]); p("wald_lo", rd[2]); p("wald_hi", rd[3])
  p("newc_lo", rd[4]); p("newc_hi", rd[5])
}
m2 <- function(a, b, c, d) matrix(c(a, b, c, d), 2, byrow = TRUE)
ct("t1", m2(12, 5, 7, 15))
ct("zero", m2(0, 10, 6, 9))
ct("twozero", m2(3, 0, 0, 3))
ct("large", m2(4500, 5500, 3900, 6100))
ct("ones", m2(1, 1, 1, 1))
ct("zerorow", m2(0, 0, 5, 7))
ct("zerocol", m2(20, 0, 15, 0))
ct("small", m2(2, 8, 9, 1))
ct("unbal", m2(250, 3, 240, 12))
ct("r3c4", matrix(c(12, 7, 9, 15,  8, 14, 6, 10,  20, 5, 11, 9), 3, byrow = TRUE))
ct("r2c3", matrix(c(30, 45, 25,  35, 30, 40), 2, byrow = TRUE))
ct("sparse", matrix(c(1, 0, 2, 0, 1,  0, 3, 1, 0, 0,  2, 1, 0, 4, 1,
                      0, 0, 1, 2, 3,  1, 2, 0, 0, 5), 5, byrow = TRUE))
ct("r3zero", matrix(c(5, 6, 7,  0, 0, 0,  8, 2, 4), 3, byrow = TRUE))
ct("large_scale_bin", unclass(table(L_scale, L_bin)))

# ---------------------------------------------------------------------
# 5. Multiplicity.
F <- "padjust"
padj <- function(name, p) {
  block(paste0("pa_", name), p)
  h <- p.adjust(p, "holm"); b <- p.adjust(p, "BH")
  for (i in seq_along(p)) {
    put(F, sprintf("pa.%s.holm.%d", name, i), h[i])
    put(F, sprintf("pa.%s.bh.%d", name, i), b[i])
  }
}
padj("ties", c(0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.9, 0.0001, 0.5, 0.03))
padj("na", c(0.02, NA, 0.5, NA, 0.001, 0.04))
padj("single", 0.3)
padj("allna", c(NA, NA))
padj("cap", c(0.6, 0.7, 0.8, 0.9, 0.95))
padj("many", runif(200)^3)

# ---------------------------------------------------------------------
# 6. Regression.
F <- "regression"
# Aliased (collinear) columns are dropped as lm() and glm() drop them: the
# coefficient is NA ("aliased 1") and every other one is estimated.
ols <- function(name, y, X, intercept = TRUE, write = TRUE) {
  if (write) block(paste0("ols_", name), cbind(y, X))
  p <- function(k, v) put(F, paste0("ols.", name, ".", k), v)
  fit <- if (intercept) lm(y ~ X) else lm(y ~ X - 1)
  s <- summary(fit)
  cf <- coef(fit)
  p("p", length(cf))
  p("rank", fit$rank)
  cm <- s$coefficients
  ci <- confint(fit)
  V <- if (fit$df.residual > 0) suppressWarnings(vcovHC(fit, type = "HC3")) else NULL
  q975 <- if (fit$df.residual > 0) qt(0.975, fit$df.residual) else NA
  for (j in seq_along(cf)) {
    q <- function(k, v) p(sprintf("%d.%s", j - 1, k), v)
    nm <- names(cf)[j]
    q("aliased", is.na(cf[j]))
    if (is.na(cf[j])) next
    q("est", cf[j])
    if (fit$df.residual > 0) {
      q("se", cm[nm, 2]); q("t", cm[nm, 3]); q("p", cm[nm, 4])
      q("lo", ci[nm, 1]); q("hi", ci[nm, 2])
      hse <- sqrt(V[nm, nm])
      q("hc3_se", hse); q("hc3_t", cf[j] / hse)
      q("hc3_p", 2 * pt(-abs(cf[j] / hse), fit$df.residual))
      q("hc3_lo", cf[j] - q975 * hse); q("hc3_hi", cf[j] + q975 * hse)
    }
  }
  p("df", fit$df.residual)
  if (fit$df.residual > 0) {
    p("sigma", s$sigma); p("r2", s$r.squared); p("adj_r2", s$adj.r.squared)
    fs <- s$fstatistic
    p("f", if (is.null(fs)) NA else fs[1])
    p("f_df1", if (is.null(fs)) NA else fs[2])
    p("f_df2", if (is.null(fs)) NA else fs[3])
    p("f_p", if (is.null(fs)) NA else pf(fs[1], fs[2], fs[3], lower.tail = FALSE))
  }
  p("aic", AIC(fit))
  p("rss", sum(residuals(fit)^2))
}
n <- 60
x1 <- rnorm(n); x2 <- rbinom(n, 1, 0.4); x3 <- sample(0:10, n, replace = TRUE)
ols("het", 2 + 0.5 * x1 - 1.2 * x2 + 0.3 * x3 + rnorm(n) * (1 + 2 * x2), cbind(x1, x2, x3))
xs <- c(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
ols("simple", c(2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8, 16.1, 18.3, 19.7, 22.4, 23.9), cbind(xs))
ols("collinear", rnorm(10), cbind(a = 1:10, b = (1:10)^2, c = 1:10 + (1:10)^2))
ols("exact", c(1, 3, 2), cbind(u = c(1, 2, 3), v = c(1, 4, 10)))
ols("lever", c(1.2, 2.3, 2.9, 4.1, 5.2, 5.8, 9.9), cbind(x = 1:7, d = c(0, 0, 0, 0, 0, 0, 1)))
ols("noint", c(1.1, 1.9, 3.2, 3.9, 5.1), cbind(x = 1:5), intercept = FALSE)
ols("large", L_value, cbind(L_scale, L_bin), write = FALSE)

logit <- function(name, y, X, intercept = TRUE, write = TRUE) {
  if (write) block(paste0("lg_", name), cbind(y, X))
  p <- function(k, v) put(F, paste0("lg.", name, ".", k), v)
  fit <- suppressWarnings(if (intercept) glm(y ~ X, family = binomial)
                          else glm(y ~ X - 1, family = binomial))
  cf <- coef(fit)
  cm <- summary(fit)$coefficients
  ci <- confint.default(fit)
  p("rank", fit$rank)
  for (j in seq_along(cf)) {
    q <- function(k, v) p(sprintf("%d.%s", j - 1, k), v)
    nm <- names(cf)[j]
    q("aliased", is.na(cf[j]))
    if (is.na(cf[j])) next
    q("est", cm[nm, 1]); q("se", cm[nm, 2]); q("z", cm[nm, 3]); q("p", cm[nm, 4])
    q("lo", ci[nm, 1]); q("hi", ci[nm, 2])
  }
  p("deviance", fit$deviance); p("null_deviance", fit$null.deviance)
  p("df_residual", fit$df.residual); p("df_null", fit$df.null)
  p("aic", fit$aic); p("iter", fit$iter); p("converged", fit$converged)
  eps <- 10 * .Machine$double.eps
  p("r_warns", any(fitted(fit) > 1 - eps | fitted(fit) < eps))
}
n <- 200
z1 <- rnorm(n); z2 <- rbinom(n, 1, 0.5)
logit("two", rbinom(n, 1, plogis(-0.5 + 0.8 * z1 - 0.6 * z2)), cbind(z1, z2))
w1 <- round(rnorm(20), 2)
logit("small", rbinom(20, 1, plogis(0.3 + 1.1 * w1)), cbind(w1))
logit("complete", c(0, 0, 0, 0, 1, 1, 1, 1), cbind(x = 1:8))
logit("quasi", c(0, 0, 0, 0, 1, 1, 1, 1), cbind(x = c(1, 2, 3, 4, 4, 5, 6, 7)))
logit("quasi_silent", c(0, 0, 0, 0, 0, 1, 0, 1, 1, 0),
      cbind(g = c(0, 0, 0, 0, 1, 1, 1, 1, 1, 1), z = 1:10))
# R warns "fitted probabilities numerically 0 or 1" (x = 40), yet the
# estimate exists: the warning is not a separation test.
logit("extreme", c(0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1),
      cbind(x = c(seq(-2, 2, by = 0.25), 40)))
logit("noint", c(1, 0, 1, 1, 0, 1, 0, 1, 1, 1), cbind(x = c(0.5, -1, 2, 0.3, -0.2, 1.5, -2, 0.8, -0.4, 1)),
      intercept = FALSE)
logit("large", L_bin, cbind(L_scale, L_value), write = FALSE)

# Collinear designs as the report builds them: the group indicator first,
# then covariates, some aliased (a dummy set with a column equal to the
# sum of two dummies; a covariate constant in the sample; more columns
# than observations).
n <- 40
grp <- rep(0:1, each = 20)
lev <- sample(1:3, n, replace = TRUE)
d2 <- as.numeric(lev == 2); d3 <- as.numeric(lev == 3)
age <- sample(1:7, n, replace = TRUE)
yc <- 3 + 0.8 * grp + 0.2 * age + rnorm(n)
ols("alias_dummies", yc, cbind(grp, d2, d3, d23 = d2 + d3, age))
ols("alias_const", yc, cbind(grp, one = rep(1, n), age))
ols("alias_group", yc, cbind(grp, age, g2 = 2 * grp))
ols("wide", c(1.5, 2.5, 2.0), cbind(g = c(1, 0, 1), u = c(2, 3, 5), v = c(1, 1, 2), w = c(7, 1, 3)))
ybin <- rbinom(n, 1, plogis(-0.5 + 0.9 * grp + 0.1 * age))
logit("alias_dummies", ybin, cbind(grp, d2, d3, d23 = d2 + d3, age))

# ---------------------------------------------------------------------
writeLines(c(header("datasets"), blocks), file.path(dir, "stats_data.txt"))
for (f in names(expected))
  writeLines(c(header(paste("expected values:", f)), expected[[f]]),
             file.path(dir, paste0("stats_", f, ".expected")))
cat("wrote", length(blocks), "data lines and",
    sum(lengths(expected)), "expected values into", dir, "\n")
