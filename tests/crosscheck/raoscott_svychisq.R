# Second reference for tests/fixtures/raoscott/cases.json: R's survey package
# (svychisq for the coded x group table; svyratio by group for the design
# variances of the rates, glm for G^2). Optional, run by hand:
#   Rscript tests/crosscheck/raoscott_svychisq.R
# (Debian: apt-get install r-cran-survey r-cran-jsonlite). Prints the largest
# relative difference from the committed figures, and the reference figures
# of the tables with an empty cell used in src/report/cluster.rs's unit tests.
suppressMessages({ library(survey); library(jsonlite) })
options(warn = -1)
fx <- fromJSON("tests/fixtures/raoscott/cases.json", simplifyMatrix = TRUE)
passages <- function(docs) {
  rows <- lapply(seq_len(nrow(docs)), function(i) {
    m <- docs[i, 2]; y <- docs[i, 3]
    data.frame(coded = rep(c(1, 0), c(y, m - y)), grp = paste0("g", docs[i, 1]), doc = i)
  })
  do.call(rbind, rows)
}
rs <- function(docs) {
  des <- svydesign(ids = ~doc, data = passages(docs))
  t <- svychisq(~coded + grp, des, statistic = "F")
  x2 <- suppressWarnings(chisq.test(table(des$variables$coded, des$variables$grp), correct = FALSE)$statistic)
  c(pearson = unname(x2), f = unname(t$statistic), df1 = unname(t$parameter[1]),
    df2 = unname(t$parameter[2]), p_f = t$p.value)
}
worst <- 0
for (i in seq_len(nrow(fx$cases))) {
  docs <- fx$cases$docs[[i]]
  r <- rs(docs)
  mine <- fx$cases$rao_scott[i, ]
  for (k in names(r)) worst <- max(worst, abs(r[[k]] - mine[[k]]) / abs(r[[k]]))
  d <- data.frame(g = factor(docs[, 1]), w = docs[, 4], h = docs[, 5], doc = seq_len(nrow(docs)))
  g2 <- deviance(glm(h ~ 1 + offset(log(w)), poisson, d)) - deviance(glm(h ~ g + offset(log(w)), poisson, d))
  des <- svydesign(ids = ~doc, data = d)
  v <- SE(svyby(~h, ~g, des, svyratio, denominator = ~w))^2
  k <- nlevels(d$g); n <- nrow(d)
  v0 <- sum(d$h) / sum(d$w) / tapply(d$w, d$g, sum)
  C <- cbind(diag(k - 1), -1)
  Delta <- solve(C %*% diag(v0) %*% t(C), C %*% diag(v) %*% t(C))
  d0 <- sum(diag(Delta))^2 / sum(diag(Delta %*% Delta))
  rr <- c(g2 = g2, f = g2 / sum(diag(Delta)), df1 = d0,
          p_f = pf(g2 / sum(diag(Delta)), d0, d0 * (n - 1), lower.tail = FALSE))
  mine <- fx$cases$rate[i, ]
  for (k in names(rr)) worst <- max(worst, abs(rr[[k]] - mine[[k]]) / abs(rr[[k]]))
}
cat(sprintf("R survey %s: %d cases, largest relative difference from cases.json %.2g\n",
            packageVersion("survey"), nrow(fx$cases), worst))
# Tables with an empty cell (group 0 never coded): svychisq reads 1/0 as 0.
zero <- list(rbind(c(0, 5, 0), c(0, 3, 0), c(0, 7, 0), c(1, 4, 1), c(1, 6, 3), c(1, 2, 2),
                   c(1, 8, 1), c(2, 5, 5), c(2, 3, 1)),
             rbind(c(0, 4, 4), c(0, 6, 6), c(1, 5, 1), c(1, 9, 2), c(1, 3, 0)))
for (z in zero) print(rs(z), digits = 15)
