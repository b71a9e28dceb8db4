# Polytomous reference vectors (GRM, PCM, GPCM, RSM, NRM), sourced by generate.R after
# the dichotomous ones: it uses generate.R's catR functions (Pi, Ii, thetaEst, ...), its
# JSON writer and allRoots(). Banks come from catR's own genPolyMatrix() and cat_pav data,
# response patterns from genPattern(), as in catR's help pages.
#
# catR's parameter layout per row (NA pads shorter items), categories numbered from 0:
#   GRM (a, b1..bK)   PCM (d1..dK)   GPCM (a, d1..dK)   RSM (lambda, d1..dK)
#   NRM (a1, c1, ..., aK, cK)   -- D scales every model but NRM.
# catR's Pi() leaves D out of the derivatives of PCM, GPCM and RSM (v = t, a*t), so with
# D != 1 its Ii(), ML/BM/WL and semTheta() for those models are off by a factor D. The
# reference for those cases is catR on the same items written as GPCM with D folded into
# a (a' = D a, D = 1), which has the same probabilities; see the README.

genPolyMatrix <- get("genPolyMatrix", catr)
genPatternCatR <- get("genPattern", catr)
# genPolyMatrix() calls set.seed(seed) and genPattern() ends with set.seed(NULL): keep this
# script's own random stream intact around them, as nextItem() is.
keepSeed <- function(f) function(...) {
  saved <- get(".Random.seed", envir = globalenv())
  res <- f(...)
  assign(".Random.seed", saved, envir = globalenv())
  res
}
genPoly <- keepSeed(function(...) {
  m <- genPolyMatrix(...)
  if ("Group" %in% names(m)) list(it = as.matrix(m[, names(m) != "Group"]), group = as.character(m$Group))
  else list(it = as.matrix(m), group = NULL)
})
genPattern <- keepSeed(genPatternCatR)

stripNames <- function(m) { m <- rbind(m); dimnames(m) <- NULL; m }
rowOf <- function(it, i) { r <- as.numeric(it[i, ]); r[!is.na(r)] }

# One catR row in the engine's layout. In a bank (dichotomize = TRUE) a two-category GRM or
# GPCM row is written as the 2PL item it is, and a one-step PCM row as a 1PL item, so mixed
# banks exercise the engine's dichotomous and polytomous code side by side.
engineItem <- function(model, row, dichotomize = FALSE) {
  K <- switch(model, GRM = , GPCM = , RSM = length(row) - 1, PCM = length(row), NRM = length(row) / 2)
  if (dichotomize && K == 1 && model %in% c("GRM", "GPCM")) return(list(model = "2PL", a = row[1], b = row[2]))
  if (dichotomize && K == 1 && model == "PCM") return(list(model = "1PL", b = row[1]))
  switch(model,
         GRM = list(model = "GRM", a = row[1], b = I(row[-1])),
         PCM = list(model = "PCM", delta = I(row)),
         GPCM = list(model = "GPCM", a = row[1], delta = I(row[-1])),
         RSM = list(model = "RSM", lambda = row[1], delta = I(row[-1])),
         NRM = list(model = "NRM", a = I(row[c(TRUE, FALSE)]), c = I(row[c(FALSE, TRUE)])))
}
engineItems <- function(model, it, dichotomize = TRUE)
  lapply(seq_len(nrow(it)), function(i) engineItem(model, rowOf(it, i), dichotomize))

# The same items with D folded into a GPCM slope, where catR's derivatives need it.
folded <- function(model, it, D) {
  it <- stripNames(it)
  if (D == 1 || model %in% c("GRM", "NRM")) return(list(it = it, model = model, D = D, folded = FALSE))
  g <- switch(model,
              PCM = cbind(D, it),
              GPCM = cbind(it[, 1] * D, it[, -1, drop = FALSE]),
              RSM = cbind(D, it[, 1] + it[, -1, drop = FALSE]))
  list(it = stripNames(g), model = "GPCM", D = 1, folded = TRUE)
}
refIi <- function(th, it, model, D) { f <- folded(model, it, D); Ii(th, f$it, model = f$model, D = f$D)$Ii }

# --- 1. category probabilities and information ----------------------------------
probItems <- list(
  GRM = rbind(c(1.2, -1, 0.5, NA, NA), c(2.5, -2, -0.3, 0.8, 2.1), c(0.4, -3.5, 3.5, NA, NA),
              c(3, 3, 3.2, 3.4, NA), c(3, -3.4, -3.35, NA, NA), c(1, 0, NA, NA, NA),
              c(0.3, -0.5, 0, 0.5, 1)),
  PCM = rbind(c(-1, 0.5, NA, NA), c(0.5, -1, NA, NA), c(-2, -0.5, 1, 2.5), c(3.5, 3.6, 3.7, NA),
              c(-3.5, 2.5, NA, NA), c(0.2, NA, NA, NA)),
  GPCM = rbind(c(1.5, -1, 0, 1), c(0.3, 2, -2, NA), c(2.8, 3.4, -3.4, NA), c(2, -3.8, -3.6, -3.5),
               c(0.7, 0.1, NA, NA), cbind(stripNames(cat_pav[c(1, 3, 4, 40, 77), ]), NA)),
  RSM = rbind(c(-1, -1.2, 0, 1.2), c(0.4, -1.2, 0, 1.2), c(3, -0.5, 0.5, NA), c(-3, -2, 2, NA),
              c(0, 0.3, NA, NA)),
  NRM = rbind(c(0.5, 0.2, 1.2, -0.3, 2, -1.5), c(-0.5, 1, 0.8, 0.5, NA, NA), c(3, -6, 2.5, 1, 1, 2),
              c(1.1, 0.4, NA, NA, NA, NA), c(0.2, -2, 0.2, -1, 0.1, 0))
)
polyThetas <- c(-5, -4, -2.25, -1, -0.3, 0, 0.4, 1, 2, 3.5, 4, 5)
polyProbCases <- list()
for (model in names(probItems)) {
  it <- probItems[[model]]
  for (D in c(1, 1.702)) {
    for (i in seq_len(nrow(it))) {
      row <- rowOf(it, i)
      one <- rbind(row)
      p <- lapply(polyThetas, function(t) { v <- Pi(t, one, model = model, D = D)$Pi[1, ]; I(v[!is.na(v)]) })
      f <- folded(model, one, D)
      if (f$folded) {
        pf <- lapply(polyThetas, function(t) { v <- Pi(t, f$it, model = "GPCM", D = 1)$Pi[1, ]; v[!is.na(v)] })
        stopifnot(isTRUE(all.equal(unlist(p), unlist(pf), tolerance = 1e-12)))
      }
      case <- list(model = model, D = D, catR = I(row), item = engineItem(model, row),
                   theta = I(polyThetas), p = p,
                   info = I(vapply(polyThetas, function(t) refIi(t, one, model, D), 0)))
      if (f$folded) case$infoCatR <- I(vapply(polyThetas, function(t) Ii(t, one, model = model, D = D)$Ii, 0))
      polyProbCases[[length(polyProbCases) + 1]] <- case
    }
  }
}
writeJSON(list(meta = meta,
               note = paste("p[k] = catR Pi()$Pi over categories 0..K at theta[k]; info = catR Ii(), for",
                            "PCM/GPCM/RSM with D != 1 computed on the GPCM with D folded into a; infoCatR",
                            "= catR's own Ii() there (too small by D^2)"),
               cases = polyProbCases), "polytomous-probability-information.json")

# --- 2. ability estimates and standard errors (mixed banks included) -----------------
polyEstCases <- list()
addPolyCase <- function(name, model, it, x, D = 1, priorPar = c(0, 1), range = c(-4, 4),
                        parInt = c(-4, 4, 33)) {
  f <- folded(model, it, D)
  res <- list()
  for (m in c("ML", "BM", "WL", "EAP")) {
    th <- thetaEst(f$it, x, model = f$model, D = f$D, method = m, priorDist = "norm",
                   priorPar = priorPar, range = range, parInt = parInt)
    thT <- thetaEstTight(f$it, x, model = f$model, D = f$D, method = m, priorDist = "norm",
                         priorPar = priorPar, range = range, parInt = parInt)
    sem <- function(t) semTheta(t, f$it, x, model = f$model, D = f$D, method = m,
                                priorDist = "norm", priorPar = priorPar, parInt = parInt)
    res[[m]] <- list(theta = th, se = sem(th), thetaExact = thT, seExact = sem(thT))
    if (m != "EAP") {
      rr <- allRoots(f$it, x, f$D, m, priorPar, range, model = f$model)
      if (!is.null(rr)) {
        res[[m]]$roots <- I(rr$roots)
        res[[m]]$bestRoot <- rr$best
        res[[m]]$seBestRoot <- sem(rr$best)
      }
    }
  }
  polyEstCases[[length(polyEstCases) + 1]] <<- list(
    name = name, model = model, D = D, foldedReference = f$folded,
    prior = list(mean = priorPar[1], sd = priorPar[2]), range = I(range),
    grid = list(lower = parInt[1], upper = parInt[2], points = parInt[3]),
    items = engineItems(model, it), responses = I(x), estimates = res)
}
steps <- function(model, it) vapply(seq_len(nrow(it)), function(i) {
  n <- length(rowOf(it, i))
  switch(model, PCM = n, NRM = n / 2, n - 1)
}, 0)
# Location of an item for "easy"/"hard": mean threshold (NRM: none, item order is used).
location <- function(model, it) vapply(seq_len(nrow(it)), function(i) {
  r <- rowOf(it, i)
  switch(model, GRM = , GPCM = mean(r[-1]), PCM = mean(r), RSM = r[1] + mean(r[-1]), NRM = i)
}, 0)
addPatterns <- function(label, model, it, D = 1) {
  it <- it[1:8, , drop = FALSE]
  K <- steps(model, it)
  addPolyCase(paste(label, "first 8 items, all lowest categories"), model, it, rep(0, 8), D = D)
  addPolyCase(paste(label, "first 8 items, all highest categories"), model, it, K, D = D)
  addPolyCase(paste(label, "one item, middle category"), model, it[2, , drop = FALSE],
              ceiling(K[2] / 2), D = D)
  easyFirst <- order(location(model, it))
  xAb <- rep(0, 8)
  xAb[easyFirst[5:8]] <- K[easyFirst[5:8]]
  addPolyCase(paste(label, "first 8 items, aberrant: highest on the 4 hardest, lowest on the rest"),
              model, it, xAb, D = D)
}

# catR's thetaEst() help examples: GRM bank genPolyMatrix(100, 4, "GRM") (a mixed bank: rows
# with one threshold are 2PL items) and PCM bank genPolyMatrix(20, 4, "PCM", same.nrCat =
# TRUE), patterns genPattern(0, ...) after set.seed(1).
mGRM <- genPoly(100, 4, "GRM")$it
xGRM <- genPattern(0, mGRM, model = "GRM", seed = 1)
addPolyCase("catR thetaEst() example: GRM genPolyMatrix(100, 4), theta 0", "GRM", mGRM, xGRM)
addPolyCase("catR thetaEst() example: GRM, D = 1.702", "GRM", mGRM, xGRM, D = 1.702)
mPCM <- genPoly(20, 4, "PCM", same.nrCat = TRUE)$it
xPCM <- genPattern(0, mPCM, model = "PCM", seed = 1)
addPolyCase("catR thetaEst() example: PCM genPolyMatrix(20, 4, same.nrCat), theta 0", "PCM", mPCM, xPCM)
addPolyCase("catR thetaEst() example: PCM, D = 1.702", "PCM", mPCM, xPCM, D = 1.702)
pav <- stripNames(cat_pav)
xPav <- genPattern(0.5, pav[1:40, ], model = "GPCM", seed = 2)
addPolyCase("cat_pav items 1-40 (GPCM), theta 0.5", "GPCM", pav[1:40, ], xPav)
addPolyCase("cat_pav items 1-40, prior N(0.5, 1.5^2), EAP grid [-3, 3] x 21, range [-3, 3]", "GPCM",
            pav[1:40, ], xPav, priorPar = c(0.5, 1.5), range = c(-3, 3), parInt = c(-3, 3, 21))
mGPCM <- genPoly(30, 4, "GPCM", seed = 3)$it
xGPCM <- genPattern(-1, mGPCM, model = "GPCM", seed = 4)
addPolyCase("GPCM genPolyMatrix(30, 4) (mixed: one-step rows are 2PL), theta -1", "GPCM", mGPCM, xGPCM)
addPolyCase("GPCM genPolyMatrix(30, 4), theta -1, D = 1.702", "GPCM", mGPCM, xGPCM, D = 1.702)
mRSM <- genPoly(15, 4, "RSM", seed = 5)$it
xRSM <- genPattern(1, mRSM, model = "RSM", seed = 6)
addPolyCase("RSM genPolyMatrix(15, 4), theta 1", "RSM", mRSM, xRSM)
addPolyCase("RSM genPolyMatrix(15, 4), theta 1, D = 1.702", "RSM", mRSM, xRSM, D = 1.702)
mNRM <- genPoly(15, 4, "NRM", seed = 7)$it
xNRM <- genPattern(-0.5, mNRM, model = "NRM", seed = 8)
addPolyCase("NRM genPolyMatrix(15, 4), theta -0.5", "NRM", mNRM, xNRM)
addPolyCase("NRM genPolyMatrix(15, 4), theta -0.5, D = 1.702 (NRM ignores D)", "NRM", mNRM, xNRM, D = 1.702)
addPatterns("GRM example bank,", "GRM", mGRM, D = 1.702)
addPatterns("PCM example bank,", "PCM", mPCM)
addPatterns("cat_pav,", "GPCM", pav)
addPatterns("RSM bank,", "RSM", mRSM)
addPatterns("NRM bank,", "NRM", mNRM)
writeJSON(list(meta = meta,
               note = paste("responses are categories 0..K; foldedReference: catR run on the items as",
                            "GPCM with D folded into a (see generate-polytomous.R)"),
               cases = polyEstCases), "polytomous-estimators.json")
