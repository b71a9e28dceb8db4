# Polytomous item selection and whole CATs, sourced by generate.R after
# generate-polytomous.R (whose banks, folded() and refIi() it uses).

# --- 3. next item: nextItem(criterion = "MFI") on polytomous and mixed banks ---------------
grmCb <- genPoly(100, 4, model = "GRM", cbControl = cbList)   # nextItem() help example
polyBanks <- list(
  GRM = list(model = "GRM", it = mGRM, note = "nextItem() help example: genPolyMatrix(100, 4, 'GRM')"),
  GRMcb = list(model = "GRM", it = grmCb$it, group = grmCb$group,
               note = "nextItem() help example with cbControl: genPolyMatrix(100, 4, 'GRM', cbControl = cbList)"),
  cat_pav = list(model = "GPCM", it = pav, note = "catR's cat_pav data (GPCM), nextItem() help example"),
  GPCM = list(model = "GPCM", it = genPoly(60, 5, "GPCM", seed = 11)$it, note = "genPolyMatrix(60, 5, 'GPCM', seed = 11)"),
  PCM = list(model = "PCM", it = genPoly(60, 4, "PCM", seed = 12)$it, note = "genPolyMatrix(60, 4, 'PCM', seed = 12)"),
  RSM = list(model = "RSM", it = genPoly(40, 4, "RSM", seed = 13)$it, note = "genPolyMatrix(40, 4, 'RSM', seed = 13)"),
  NRM = list(model = "NRM", it = genPoly(50, 4, "NRM", seed = 14)$it, note = "genPolyMatrix(50, 4, 'NRM', seed = 14)")
)
for (name in names(polyBanks)) polyBanks[[name]]$it <- stripNames(polyBanks[[name]]$it)
for (name in c("GRM", "GRMcb")) {
  it <- polyBanks[[name]]$it
  gaps <- apply(it[, -1, drop = FALSE], 1, function(r) { r <- r[!is.na(r)]; if (length(r) < 2) Inf else min(diff(r)) })
  stopifnot(all(gaps > 0))   # GRM thresholds strictly increasing after genPolyMatrix's rounding
}

# The best available item by catR's information (D folded in where catR leaves it out of
# the derivatives), and whether it is a clear winner (no near-tie for floating point to break).
bestOf <- function(bank, theta, D, avail) {
  info <- refIi(theta, bank$it, bank$model, D)
  s <- sort(info[avail], decreasing = TRUE)
  list(item = avail[which.max(info[avail])], info = info,
       unique = length(s) < 2 || s[1] - s[2] > 1e-9)
}
polySelCases <- list()
polyRandomesque <- list()
addSelection <- function(bankName, theta, D, out, ...) {
  bank <- polyBanks[[bankName]]
  avail <- setdiff(seq_len(nrow(bank$it)), out)
  best <- bestOf(bank, theta, D, avail)
  if (!best$unique) return(FALSE)
  r <- nextItem(bank$it, model = bank$model, theta = theta, out = if (length(out) == 0) NULL else out,
                criterion = "MFI", D = D, randomesque = 1)
  stopifnot(r$item == best$item)   # catR's own ranking agrees where D is left out of Ii()
  polySelCases[[length(polySelCases) + 1]] <<- list(bank = bankName, theta = theta, D = D,
                                                    out = I(out - 1), item = r$item - 1,
                                                    info = best$info[r$item])
  TRUE
}
addSelection("GRM", 0, 1, 70)          # help example: nextItem(m.GRM, model = "GRM", theta = 0, out = 70)
addSelection("cat_pav", 0, 1, 15)      # help example: nextItem(cat_pav, model = "GPCM", theta = 0, out = 15)
set.seed(98)
for (name in c("GRM", "cat_pav", "GPCM", "PCM", "RSM", "NRM")) {
  n <- nrow(polyBanks[[name]]$it)
  for (D in c(1, 1.702)) {
    for (theta in c(-3.2, -2, -1.3, -0.5, 0, 0.4, 1, 2.5)) {
      for (nOut in c(0, 3, 10, 25)) {
        out <- if (nOut == 0) integer(0) else sort(sample(n, nOut))
        addSelection(name, theta, D, out)
      }
    }
  }
}

# Content balancing on the GRM help-example bank (generate.R's contentBalancingCases()).
polyCbCases <- contentBalancingCases(20, polyBanks$GRMcb$it, polyBanks$GRMcb$group, 17,
                                     function(theta, D, avail) bestOf(polyBanks$GRMcb, theta, D, avail)$unique,
                                     model = "GRM")

# Randomesque: catR's nextItem(randomesque = k) draws among the k items of highest Ii().
for (name in c("GRM", "cat_pav", "NRM")) {
  for (theta in c(-1, 0.5)) {
    bank <- polyBanks[[name]]
    info <- Ii(theta, bank$it, model = bank$model, D = 1)$Ii
    top <- order(info, decreasing = TRUE)[1:4]
    if (info[top[3]] - info[top[4]] <= 1e-9) next
    polyRandomesque[[length(polyRandomesque) + 1]] <- list(bank = name, theta = theta, D = 1, k = 3,
                                                           top = I(sort(top[1:3]) - 1))
  }
}
writeJSON(list(meta = meta,
               note = paste("item indices are 0-based (catR's minus one); a bank's two-category GRM/GPCM",
                            "rows are 2PL items and one-step PCM rows 1PL items; info as in",
                            "polytomous-probability-information.json (D folded in for PCM/GPCM/RSM)"),
               banks = lapply(polyBanks, function(b) {
                 items <- engineItems(b$model, b$it)
                 if (!is.null(b$group)) items <- Map(function(x, g) c(x, topic = g), items, b$group)
                 list(model = b$model, note = b$note, items = items)
               }),
               contentTargets = setNames(as.list(cbList$props), cbList$names),
               mfi = polySelCases, contentBalancing = polyCbCases, randomesque = polyRandomesque),
          "polytomous-selection.json")

# --- 4. whole CATs on polytomous banks: nextItem(), then thetaEst()/semTheta() ------------
# The simulated answer to an item is the highest category k with u < P(X >= k): for a
# two-category item, 1 exactly when u < P (the dichotomous runs' rule).
answerOf <- function(u, p) {
  p <- p[!is.na(p)]
  tail <- rev(cumsum(rev(p)))
  sum(u < tail[-1])
}
polyRuns <- list()
runSpecs <- list(list("GRM", 1.702, "EAP", 0.8), list("cat_pav", 1, "WL", -0.6), list("PCM", 1, "BM", 1.1),
                 list("RSM", 1, "ML", 0.3), list("NRM", 1, "EAP", -1.2), list("GPCM", 1, "BM", 1.9))
for (run in seq_along(runSpecs)) {
  spec <- runSpecs[[run]]
  bank <- polyBanks[[spec[[1]]]]
  D <- spec[[2]]; method <- spec[[3]]; trueTheta <- spec[[4]]
  set.seed(700 + run)
  u <- runif(15)
  th <- 0; out <- integer(0); x <- integer(0)
  stepsOut <- list()
  for (k in 1:15) {
    item <- nextItem(bank$it, model = bank$model, theta = th, out = if (length(out) == 0) NULL else out,
                     criterion = "MFI", D = D, randomesque = 1)$item
    resp <- answerOf(u[k], Pi(trueTheta, bank$it[item, , drop = FALSE], model = bank$model, D = D)$Pi[1, ])
    out <- c(out, item); x <- c(x, resp)
    it <- bank$it[out, , drop = FALSE]
    th <- thetaEstTight(it, x, model = bank$model, D = D, method = method, priorDist = "norm",
                        priorPar = c(0, 1), range = c(-4, 4), parInt = c(-4, 4, 33))
    se <- semTheta(th, it, x, model = bank$model, D = D, method = method, priorDist = "norm",
                   priorPar = c(0, 1), parInt = c(-4, 4, 33))
    stepsOut[[k]] <- list(item = item - 1, response = resp, theta = th, se = se)
  }
  polyRuns[[run]] <- list(bank = spec[[1]], D = D, method = method, trueTheta = trueTheta, startTheta = 0,
                          uniforms = I(u), steps = stepsOut)
}
writeJSON(list(meta = meta,
               note = paste("bank = polytomous-selection.json's banks[bank]; response = the highest k with",
                            "u < P(X >= k) at trueTheta; item indices 0-based"),
               runs = polyRuns), "polytomous-cat-runs.json")
