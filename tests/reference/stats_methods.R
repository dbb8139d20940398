# Reference values for the methods beyond tests/reference/stats.R: paired
# tests, rank tests with R's default exact p-values and Hodges-Lehmann
# intervals, correlations with intervals, k-group comparisons, r x c
# Fisher, Mantel-Haenszel and relative risk, the choice of table test
# within an adjusted batch, and far-tail t p-values.
#
# Run from the repository root:   Rscript tests/reference/stats_methods.R
# Needs r-base-core and r-cran-rmpfr (Debian 12: R 4.2, Rmpfr 0.9).
#
# Same formats as stats.R: tests/reference/methods_data.txt holds the data
# blocks ("@ name nrow ncol" then rows), stats_<family>.expected the
# "name value" lines, numbers as sprintf("%.17g"), NA where R gives no
# value (an error, NA or NaN). Draws follow set.seed(20261202).
#
# Every value is R's own function at its defaults unless a line says
# otherwise. Written out here because base R has none: the relative risk
# with its log (Katz) interval and the 0.5 correction of stats.h, and the
# Spearman interval (Fisher's z with the Bonett-Wright standard error).
# The far-tail t p-values are computed in 1024-bit arithmetic (Rmpfr) from
# the closed forms of the t distribution for integer df (Abramowitz and
# Stegun 26.7.3-4), not from pt().

suppressPackageStartupMessages(library(Rmpfr))

dir <- "tests/reference"
if (!dir.exists(dir))
  stop("run from the repository root: Rscript tests/reference/stats_methods.R")
set.seed(20261202)

fmt <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))
blocks <- character()
block <- function(name, m) {
  if (is.null(dim(m))) m <- matrix(m, ncol = 1)
  lines <- if (nrow(m) == 0) character() else
    apply(m, 1, function(r) paste(fmt(r), collapse = " "))
  blocks <<- c(blocks, sprintf("@ %s %d %d", name, nrow(m), ncol(m)), lines)
  invisible(m)
}
expected <- list()
put <- function(family, name, value) {
  value <- as.numeric(value)
  if (length(value) != 1) stop("put: ", name, " has length ", length(value))
  expected[[family]] <<- c(expected[[family]], paste(name, fmt(value)))
}
header <- function(what) c(
  paste("#", what, "- written by tests/reference/stats_methods.R; do not edit."),
  paste("#", R.version.string, "; Rmpfr", as.character(packageVersion("Rmpfr"))))
safely <- function(expr) tryCatch(suppressWarnings(expr), error = function(e) NULL)
get <- function(obj, f) if (is.null(obj)) NA else f(obj)

# ---------------------------------------------------------------------
# 1. Far-tail t p-values: 2 P(T > |t|) for integer df, 1024 bits (1 - A
# with A near 1 keeps about 300 digits).
F <- "tdist"
pt2_exact <- function(t, df, prec = 1024) {
  t <- mpfr(t, prec); nu <- mpfr(df, prec)
  th <- atan(abs(t) / sqrt(nu)); s <- sin(th); c <- cos(th)
  if (df %% 2 == 0) {
    term <- mpfr(1, prec); sum <- term
    if (df >= 4) for (k in seq(2, df - 2, by = 2)) {
      term <- term * c^2 * (k - 1) / k; sum <- sum + term
    }
    A <- s * sum
  } else if (df == 1) {
    A <- 2 * th / Const("pi", prec)
  } else {
    term <- c; sum <- term
    if (df >= 5) for (k in seq(3, df - 2, by = 2)) {
      term <- term * c^2 * (k - 1) / k; sum <- sum + term
    }
    A <- 2 / Const("pi", prec) * (th + s * sum)
  }
  as.numeric(1 - A)
}
grid <- rbind(c(31, 11.8), c(60, 20), c(30, 5), c(31, 5), c(45, 9.5),
              c(100, 12), c(200, 15), c(33, 2.03), c(1, 3), c(2, 40),
              c(3, 25), c(7, 0.5), c(120, 1.96), c(61, 18), c(35, 30))
block("td_grid", grid)
for (i in seq_len(nrow(grid))) {
  put(F, sprintf("td.grid.%d", i), pt2_exact(grid[i, 2], grid[i, 1]))
  put(F, sprintf("td.grid_r.%d", i),
      2 * exp(pt(grid[i, 2], grid[i, 1], lower.tail = FALSE, log.p = TRUE)))
}
# Through each statistic that reports a t p-value, at 31 and 60 df.
x <- rnorm(32); y <- x - 2 - rnorm(32, 0, 0.95)
tt <- t.test(x, y, paired = TRUE)
while (abs(tt$statistic) < 11 || abs(tt$statistic) > 13) {
  y <- x - 2 - rnorm(32, 0, 0.95); tt <- t.test(x, y, paired = TRUE)
}
block("td_paired", cbind(x, y))
put(F, "td.paired.t", tt$statistic)
put(F, "td.paired.p", pt2_exact(tt$statistic, 31))
w1 <- rnorm(31); w2 <- w1[sample(31)] - 3.2
wt <- t.test(w1, w2)
block("td_welch_x", w1); block("td_welch_y", w2)
put(F, "td.welch.t", wt$statistic); put(F, "td.welch.df", wt$parameter)
put(F, "td.welch.p", pt2_exact(wt$statistic, 60))
ox <- 1:62; oy <- 0.5 * ox + rnorm(62, 0, 0.65)
lf <- summary(lm(oy ~ ox))$coefficients
block("td_ols", cbind(oy, ox))
put(F, "td.ols.t", lf[2, 3]); put(F, "td.ols.p", pt2_exact(lf[2, 3], 60))
px <- rnorm(33); py <- px + rnorm(33, 0, 0.16)
pc <- cor.test(px, py)
block("td_pearson", cbind(px, py))
put(F, "td.pearson.t", pc$statistic); put(F, "td.pearson.p", pt2_exact(pc$statistic, 31))
sx <- rnorm(62); sy <- sx + rnorm(62, 0, 0.22)
sc <- cor.test(sx, sy, method = "spearman", exact = FALSE)
r <- sc$estimate; st <- r / sqrt((1 - r^2) / 60)
block("td_spearman", cbind(sx, sy))
put(F, "td.spearman.t", st); put(F, "td.spearman.p", pt2_exact(st, 60))

# ---------------------------------------------------------------------
# 2. Paired comparisons.
F <- "paired"
paired <- function(name, x, y) {
  block(paste0("pr_", name), cbind(x, y))
  p <- function(k, v) put(F, paste0("pr.", name, ".", k), v)
  t <- safely(t.test(x, y, paired = TRUE))
  p("diff", get(t, function(o) o$estimate)); p("t", get(t, function(o) o$statistic))
  p("df", get(t, function(o) o$parameter)); p("p", get(t, function(o) o$p.value))
  p("lo", get(t, function(o) o$conf.int[1])); p("hi", get(t, function(o) o$conf.int[2]))
  w <- safely(wilcox.test(x, y, paired = TRUE, conf.int = TRUE))
  p("v", get(w, function(o) o$statistic)); p("w_p", get(w, function(o) o$p.value))
  p("exact", get(w, function(o) grepl("exact", o$method)))
  p("est", get(w, function(o) o$estimate)); p("w_lo", get(w, function(o) o$conf.int[1]))
  p("w_hi", get(w, function(o) o$conf.int[2]))
  p("conf", get(w, function(o) attr(o$conf.int, "conf.level")))
}
a <- rnorm(10, 5); paired("small", a, a - rnorm(10, 0.8))
a <- rnorm(20, 5); paired("small20", a, a + rnorm(20, 0.3))
a <- round(rnorm(30, 5, 2)); paired("ties", a, round(a - rnorm(30, 0.7, 1.5)))
a <- rnorm(80); paired("large", a, a - rnorm(80, 0.25))
a <- c(1.5, 2, 3.25, 4, 5.5, 6, 7.75, 8); paired("zeros", a, a - c(0, 0.5, 0, -1.25, 2, 0.75, -0.5, 3))
a <- sample(0:10, 45, replace = TRUE); paired("scale", a, pmin(10, pmax(0, a - sample(-2:4, 45, replace = TRUE))))
paired("const", c(3, 4, 5, 6, 7), c(2, 3, 4, 5, 6))
paired("two", c(1.5, 4.25), c(1, 2))
paired("one", 4.5, 3)

# ---------------------------------------------------------------------
# 3. Two groups, rank sum with the Hodges-Lehmann shift.
F <- "ranksum"
ranksum <- function(name, x, y) {
  block(paste0("rs_", name, "_x"), x); block(paste0("rs_", name, "_y"), y)
  p <- function(k, v) put(F, paste0("rs.", name, ".", k), v)
  w <- safely(wilcox.test(x, y, conf.int = TRUE))
  p("w", get(w, function(o) o$statistic)); p("p", get(w, function(o) o$p.value))
  p("exact", get(w, function(o) grepl("exact", o$method)))
  p("est", get(w, function(o) o$estimate)); p("lo", get(w, function(o) o$conf.int[1]))
  p("hi", get(w, function(o) o$conf.int[2]))
  p("conf", get(w, function(o) attr(o$conf.int, "conf.level")))
}
ranksum("small", rnorm(8, 1), rnorm(10))
ranksum("small_b", rnorm(12), rnorm(15, 0.4))
ranksum("ties", round(rnorm(30, 5, 2)), round(rnorm(25, 6, 2)))
ranksum("large", rnorm(60, 0.3), rnorm(55))
ranksum("scale", sample(0:10, 40, replace = TRUE), sample(0:10, 35, replace = TRUE, prob = 11:1))
ranksum("tiny", c(1.5, 3.2, 2.2), c(4.1, 0.7))
ranksum("one", 2.5, c(1.25, 3.75, 5))

# ---------------------------------------------------------------------
# 4. Correlation: Pearson with its interval; Spearman with R's default
# p-value and the Bonett-Wright interval.
F <- "corr"
bw <- function(rho, n) {
  if (n <= 3 || !is.finite(rho) || abs(rho) >= 1) return(c(NA, NA))
  z <- atanh(rho); se <- sqrt((1 + rho^2 / 2) / (n - 3)); q <- qnorm(0.975)
  tanh(z + c(-1, 1) * q * se)
}
corr <- function(name, x, y) {
  block(paste0("co_", name), cbind(x, y))
  p <- function(k, v) put(F, paste0("co.", name, ".", k), v)
  pc <- safely(cor.test(x, y))
  ok <- !is.null(pc) && is.finite(pc$estimate)
  p("r", if (ok) pc$estimate else NA); p("t", if (ok) pc$statistic else NA)
  p("df", if (ok) pc$parameter else NA); p("p", if (ok) pc$p.value else NA)
  p("lo", if (ok && !is.null(pc$conf.int)) pc$conf.int[1] else NA)
  p("hi", if (ok && !is.null(pc$conf.int)) pc$conf.int[2] else NA)
  sp <- safely(cor.test(x, y, method = "spearman"))
  ok <- !is.null(sp) && is.finite(sp$estimate)
  ties <- min(length(unique(x)), length(unique(y))) < length(x)
  p("rho", if (ok) sp$estimate else NA); p("s", if (ok) sp$statistic else NA)
  p("sp_p", if (ok) sp$p.value else NA)
  p("sp_exact", !ties && length(x) <= 1290)
  ci <- bw(if (ok) sp$estimate else NA, length(x))
  p("sp_lo", ci[1]); p("sp_hi", ci[2])
}
a <- rnorm(7); corr("n7", a, a + rnorm(7))
a <- rnorm(9); corr("n9", a, -a + rnorm(9, 0, 2))
a <- rnorm(10); corr("n10", a, a + rnorm(10))
a <- rnorm(25); corr("n25", a, 0.4 * a + rnorm(25))
a <- rnorm(200); corr("n200", a, 0.1 * a + rnorm(200))
a <- round(rnorm(40), 1); corr("ties", a, round(a + rnorm(40), 0))
corr("four", c(1, 2.5, 3, 4.5), c(2, 1, 4, 3.5))
corr("three", c(1, 2, 3), c(1.5, 1, 4))
corr("perfect", 1:10, 2 * (1:10) + 1)
corr("consty", c(1, 2, 3, 4), c(5, 5, 5, 5))
# Cramer's V: sqrt(X^2 / (n (min(r, c) - 1))), X^2 without correction.
cramer <- function(name, tab) {
  block(paste0("cv_", name), tab)
  x2 <- suppressWarnings(chisq.test(tab, correct = FALSE)$statistic)
  put(F, paste0("cv.", name), sqrt(x2 / (sum(tab) * (min(dim(tab)) - 1))))
}
cramer("r2c2", matrix(c(12, 5, 7, 15), 2, byrow = TRUE))
cramer("r3c4", matrix(c(12, 7, 9, 15, 8, 14, 6, 10, 20, 5, 11, 9), 3, byrow = TRUE))
cramer("r2c5", matrix(c(3, 8, 12, 9, 4, 10, 7, 6, 2, 1), 2, byrow = TRUE))

# ---------------------------------------------------------------------
# 5. More than two groups. Blocks "kg_<name>": value, group (1..k).
F <- "kgroup"
kgroup <- function(name, x, g, k) {
  block(paste0("kg_", name), cbind(x, g))
  p <- function(key, v) put(F, paste0("kg.", name, ".", key), v)
  f <- factor(g)
  a <- safely(oneway.test(x ~ f, var.equal = TRUE))
  p("aov_f", get(a, function(o) o$statistic)); p("aov_df1", get(a, function(o) o$parameter[1]))
  p("aov_df2", get(a, function(o) o$parameter[2])); p("aov_p", get(a, function(o) o$p.value))
  an <- if (is.null(a)) NULL else safely(anova(lm(x ~ f)))
  p("aov_ssb", get(an, function(o) o[1, 2])); p("aov_ssw", get(an, function(o) o[2, 2]))
  w <- safely(oneway.test(x ~ f))
  p("welch_f", get(w, function(o) o$statistic)); p("welch_df1", get(w, function(o) o$parameter[1]))
  p("welch_df2", get(w, function(o) o$parameter[2])); p("welch_p", get(w, function(o) o$p.value))
  kw <- safely(kruskal.test(x, f))
  p("kw", get(kw, function(o) o$statistic)); p("kw_df", get(kw, function(o) o$parameter))
  p("kw_p", get(kw, function(o) o$p.value))
  lv <- as.integer(levels(f))
  for (m in c("none", "holm", "BH")) {
    pt <- safely(pairwise.t.test(x, f, p.adjust.method = m)$p.value)
    pw <- safely(pairwise.wilcox.test(x, f, p.adjust.method = m)$p.value)
    for (i in 2:k) for (j in 1:(i - 1)) {
      ii <- match(i, lv); jj <- match(j, lv)
      vt <- if (is.null(pt) || is.na(ii) || is.na(jj)) NA else pt[ii - 1, jj]
      vw <- if (is.null(pw) || is.na(ii) || is.na(jj)) NA else pw[ii - 1, jj]
      p(sprintf("pt_%s.%d.%d", m, i, j), vt)
      p(sprintf("pw_%s.%d.%d", m, i, j), vw)
    }
  }
}
g <- rep(1:4, c(12, 15, 9, 20))
kgroup("norm", rnorm(length(g), c(0, 0.5, 1, 0.2)[g], c(1, 2, 0.5, 1.5)[g]), g, 4)
g <- rep(1:3, c(40, 35, 50))
kgroup("scale", sample(0:10, length(g), replace = TRUE), g, 3)
g <- rep(1:3, c(5, 6, 4))
kgroup("small", rnorm(length(g), c(0, 1, 2)[g]), g, 3)
g <- rep(c(1, 3, 4), c(8, 7, 9))
kgroup("gap", rnorm(length(g), c(0, 0, 0.8, 1.5)[g]), g, 4)
g <- rep(1:3, c(6, 1, 7))
kgroup("single", rnorm(length(g)), g, 3)
g <- rep(1:3, c(5, 5, 5))
kgroup("flat", c(rep(2, 5), rep(3, 5), rep(4, 5)), g, 3)

# ---------------------------------------------------------------------
# 6. Fisher's exact test of r x c tables (FEXACT).
F <- "fisher"
# R's default workspace (2e5) is too small for "big" (n = 300) and R then
# suggests simulate.p.value; the reference is the exact value R computes
# with workspace = 2e8.
fisher <- function(name, tab, workspace = 2e5) {
  block(paste0("fi_", name), tab)
  put(F, paste0("fi.", name), fisher.test(tab, workspace = workspace)$p.value)
}
fisher("r2c3", matrix(c(3, 1, 4, 1, 5, 2), 2, byrow = TRUE))
fisher("r3c3", matrix(c(2, 0, 3, 1, 4, 0, 0, 2, 5), 3, byrow = TRUE))
fisher("r3c4", matrix(c(1, 0, 2, 3, 0, 3, 1, 0, 2, 1, 0, 4), 3, byrow = TRUE))
fisher("r2c5", matrix(c(3, 8, 12, 9, 4, 10, 7, 6, 2, 1), 2, byrow = TRUE))
fisher("r4c5", matrix(rpois(20, 2), 4, byrow = TRUE))
fisher("r5c5", matrix(c(1, 0, 2, 0, 1, 0, 3, 1, 0, 0, 2, 1, 0, 4, 1,
                        0, 0, 1, 2, 3, 1, 2, 0, 0, 5), 5, byrow = TRUE))
fisher("r3c6", matrix(rpois(18, 3), 3, byrow = TRUE))
fisher("r5c2", matrix(c(4, 1, 2, 6, 0, 3, 5, 5, 1, 0), 5, byrow = TRUE))
fisher("mid", matrix(c(20, 15, 10, 5, 12, 18, 9, 11, 8, 14, 16, 12), 3, byrow = TRUE))
fisher("zerorow", matrix(c(1, 2, 0, 0, 0, 0, 0, 4, 3), 3, byrow = TRUE))
fisher("zerocol", matrix(c(3, 0, 0, 0, 4, 0), 2, byrow = TRUE))
fisher("onecol", matrix(c(0, 5, 0, 0, 7, 0), 2, byrow = TRUE))
fisher("wide", matrix(c(400, 350, 300, 2, 150, 380, 340, 320, 1, 160), 2, byrow = TRUE))
fisher("big", matrix(c(40, 30, 20, 10, 24, 36, 18, 22, 16, 28, 32, 24), 3, byrow = TRUE),
       workspace = 2e8)

# ---------------------------------------------------------------------
# 7. Strata and relative risk. A stratum is a row a b c d (stats.h).
F <- "strata"
mh <- function(name, m) {
  block(paste0("mh_", name), m)
  arr <- array(0, c(2, 2, nrow(m)))
  for (s in seq_len(nrow(m))) arr[, , s] <- matrix(m[s, ], 2, byrow = TRUE)
  r <- safely(mantelhaen.test(arr))
  p <- function(k, v) put(F, paste0("mh.", name, ".", k), v)
  p("stat", get(r, function(o) o$statistic)); p("p", get(r, function(o) o$p.value))
  p("or", get(r, function(o) o$estimate)); p("lo", get(r, function(o) o$conf.int[1]))
  p("hi", get(r, function(o) o$conf.int[2]))
}
mh("k3", rbind(c(12, 8, 7, 13), c(20, 15, 10, 18), c(5, 9, 4, 11)))
mh("k2", rbind(c(3, 2, 1, 4), c(6, 1, 2, 5)))
mh("zero", rbind(c(0, 5, 3, 4), c(4, 6, 0, 8), c(2, 2, 1, 7)))
mh("big", rbind(c(450, 550, 390, 610), c(300, 200, 260, 240), c(80, 120, 70, 130), c(15, 25, 9, 31)))
mh("small_delta", rbind(c(2, 3, 2, 3), c(3, 2, 3, 2)))
rr <- function(name, a, b, c, d) {
  block(paste0("rr_", name), c(a, b, c, d))
  p <- function(k, v) put(F, paste0("rr.", name, ".", k), v)
  if (a + b == 0 || c + d == 0 || a + c == 0) {
    for (k in c("est", "se", "lo", "hi")) p(k, NA); return(invisible())
  }
  if (a == 0 || c == 0) { a <- a + .5; b <- b + .5; c <- c + .5; d <- d + .5 }
  est <- (a / (a + b)) / (c / (c + d))
  se <- sqrt(1 / a - 1 / (a + b) + 1 / c - 1 / (c + d))
  z <- qnorm(0.975)
  p("est", est); p("se", se); p("lo", exp(log(est) - z * se)); p("hi", exp(log(est) + z * se))
}
rr("t1", 12, 5, 7, 15); rr("zero_a", 0, 10, 6, 9); rr("zero_c", 4, 6, 0, 12)
rr("large", 4500, 5500, 3900, 6100); rr("none", 0, 10, 0, 12); rr("all", 10, 0, 8, 0)

# ---------------------------------------------------------------------
# 8. A batch of 2 x 2 comparisons, each tested as stats_table_test()
# decides (Fisher when an expected count is below 5 or a margin is 0,
# else chi-square with Yates), adjusted with Holm and BH. Tables whose
# outcome nobody reported keep p = 1 in the family.
F <- "batch"
tabs <- rbind(c(12, 30, 7, 35), c(0, 40, 0, 38), c(25, 20, 15, 30), c(3, 45, 9, 38),
              c(18, 27, 11, 31), c(0, 42, 0, 44), c(30, 15, 22, 20), c(2, 40, 8, 36),
              c(14, 28, 19, 25), c(40, 0, 39, 0))
block("bt_tables", tabs)
pv <- numeric(nrow(tabs))
for (i in seq_len(nrow(tabs))) {
  m <- matrix(tabs[i, ], 2, byrow = TRUE)
  e <- outer(rowSums(m), colSums(m)) / sum(m)
  use_fisher <- any(rowSums(m) == 0) || any(colSums(m) == 0) || any(e < 5)
  pv[i] <- if (use_fisher) fisher.test(m)$p.value else chisq.test(m)$p.value
  put(F, sprintf("bt.p.%d", i), pv[i])
  put(F, sprintf("bt.fisher.%d", i), use_fisher)
}
h <- p.adjust(pv, "holm"); b <- p.adjust(pv, "BH")
for (i in seq_along(pv)) { put(F, sprintf("bt.holm.%d", i), h[i]); put(F, sprintf("bt.bh.%d", i), b[i]) }

# ---------------------------------------------------------------------
writeLines(c(header("datasets"), blocks), file.path(dir, "methods_data.txt"))
for (f in names(expected))
  writeLines(c(header(paste("expected values:", f)), expected[[f]]),
             file.path(dir, paste0("stats_", f, ".expected")))
cat("wrote", length(blocks), "data lines and",
    sum(lengths(expected)), "expected values into", dir, "\n")
