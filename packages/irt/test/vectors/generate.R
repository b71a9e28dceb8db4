# Reference vectors for @dreamseed/irt, produced by catR so the TypeScript engine
# is checked against an established implementation, not against itself.
#
# Usage (from packages/irt):  Rscript test/vectors/generate.R test/vectors
#   - with catR installed (CRAN), its exported functions and data(tcals) are used;
#   - otherwise set CATR_SRC to a directory holding catR's R sources (Pi.R, Ii.R, Ji.R,
#     integrate.catR.R, eapEst.R, eapSem.R, thetaEst.R, semTheta.R, nextItem.R,
#     genPolyMatrix.R, genPattern.R) and tcals.txt and cat_pav.txt from catR's data/
#     folder (gunzipped); they are sourced into a private environment, and CATR_VERSION
#     names them in the output.
# The tap tests only read the JSON written here; R is never needed at test time.
# The polytomous vectors are written by generate-polytomous.R and
# generate-polytomous-cat.R, sourced at the end.
#
# catR's defaults, stated explicitly in every call below: D = 1, priorDist = "norm",
# priorPar = c(0, 1), range = c(-4, 4), parInt = c(-4, 4, 33) (EAP grid: 33 points on
# [-4, 4], trapezoid rule), nextItem(criterion = "MFI", randomesque = 1).

args <- commandArgs(trailingOnly = TRUE)
outDir <- if (length(args) >= 1) args[1] else "."

catrSrc <- Sys.getenv("CATR_SRC")
if (nzchar(catrSrc)) {
  catr <- new.env()
  for (f in c("Pi.R", "Ii.R", "Ji.R", "integrate.catR.R", "eapEst.R", "eapSem.R",
              "thetaEst.R", "semTheta.R", "nextItem.R", "genPolyMatrix.R", "genPattern.R")) {
    sys.source(file.path(catrSrc, f), envir = catr)
  }
  tcals <- read.table(file.path(catrSrc, "tcals.txt"), header = TRUE, sep = "\t",
                      stringsAsFactors = FALSE)
  cat_pav <- as.matrix(read.table(file.path(catrSrc, "cat_pav.txt"), header = TRUE, sep = "\t",
                                 row.names = 1))
  catrVersion <- Sys.getenv("CATR_VERSION", "catR R sources from CATR_SRC")
} else {
  suppressPackageStartupMessages(library(catR))
  catr <- asNamespace("catR")
  data(tcals, package = "catR")
  tcals$Group <- as.character(tcals$Group)
  data(cat_pav, package = "catR")
  cat_pav <- as.matrix(cat_pav)
  catrVersion <- paste("catR", as.character(packageVersion("catR")))
}
Pi <- get("Pi", catr); Ii <- get("Ii", catr)
thetaEst <- get("thetaEst", catr); semTheta <- get("semTheta", catr)
nextItemCatR <- get("nextItem", catr)
# nextItem() ends with set.seed(NULL), which would make the random cases drawn after it
# differ on every run; keep this script's own random stream intact around each call.
nextItem <- function(...) {
  saved <- get(".Random.seed", envir = globalenv())
  res <- nextItemCatR(...)
  assign(".Random.seed", saved, envir = globalenv())
  res
}

# uniroot's default tolerance (~1.2e-4) limits how exact catR's ML/BM/WL roots are;
# the same catR code re-run with a tight tolerance gives the exact root as well.
tightEnv <- new.env(parent = environment(thetaEst))
assign("uniroot", function(f, interval, ...) stats::uniroot(f, interval, ..., tol = 1e-13,
                                                             maxiter = 1000), envir = tightEnv)
thetaEstTight <- thetaEst
environment(thetaEstTight) <- tightEnv

# --- minimal JSON writer (no packages needed) ---------------------------------
num <- function(v) {
  if (is.na(v)) return("null")
  if (is.infinite(v)) stop("infinite value in vectors")
  if (v == round(v) && abs(v) < 1e15) return(format(v, scientific = FALSE))
  sprintf("%.17g", v)
}
toJSON <- function(x, indent = "") {
  inner <- paste0(indent, "  ")
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (length(x) == 0) return(if (is.null(names(x))) "[]" else "{}")
    if (!is.null(names(x))) {
      parts <- mapply(function(k, v) paste0(inner, "\"", k, "\": ", toJSON(v, inner)),
                      names(x), x)
      return(paste0("{\n", paste(parts, collapse = ",\n"), "\n", indent, "}"))
    }
    parts <- vapply(x, function(v) paste0(inner, toJSON(v, inner)), "")
    return(paste0("[\n", paste(parts, collapse = ",\n"), "\n", indent, "]"))
  }
  asArray <- inherits(x, "AsIs") || length(x) != 1
  vals <- if (is.character(x)) paste0("\"", x, "\"")
          else if (is.logical(x)) ifelse(x, "true", "false")
          else vapply(as.numeric(x), num, "")
  if (asArray) paste0("[", paste(vals, collapse = ", "), "]") else vals
}
writeJSON <- function(x, name) {
  path <- file.path(outDir, name)
  writeLines(toJSON(x), path)
  message("wrote ", path)
}
itemList <- function(m) lapply(seq_len(nrow(m)), function(i)
  list(a = m[i, 1], b = m[i, 2], c = m[i, 3], d = m[i, 4]))

tc <- as.matrix(tcals[, 1:4])
colnames(tc) <- NULL
meta <- list(generator = "test/vectors/generate.R", reference = catrVersion,
             r = R.version.string)

# --- 1. probability and information -------------------------------------------
extreme <- rbind(
  c(1, 0, 0, 1),          # 1PL
  c(1.7, -0.8, 0, 1),     # 2PL
  c(0.8, 1.2, 0.25, 1),   # 3PL
  c(1.4, 0.5, 0.2, 0.9),  # 4PL
  c(3, 3.5, 0.3, 0.95),   # extreme: steep, hard, guessing, slipping
  c(3, -3.5, 0.3, 0.95),  # extreme: steep, easy
  c(0.3, 3.5, 0, 1),      # flat, hard
  c(0.3, -3.5, 0.1, 1),   # flat, easy
  c(3, 0, 0.3, 1),        # steep 3PL
  c(2.5, -1, 0, 0.95)     # 4PL without guessing
)
piItems <- rbind(extreme, tc[c(1, 10, 19, 30, 44, 63, 85), ])
thetas <- c(-4, -3.5, -2.25, -1, -0.3, 0, 0.4, 1, 2, 3.5, 4)
probCases <- list()
for (D in c(1, 1.702)) {
  for (i in seq_len(nrow(piItems))) {
    it <- piItems[i, , drop = FALSE]
    probCases[[length(probCases) + 1]] <- list(
      item = itemList(it)[[1]], D = D, theta = I(thetas),
      p = I(vapply(thetas, function(t) Pi(t, it, D = D)$Pi, 0)),
      info = I(vapply(thetas, function(t) Ii(t, it, D = D)$Ii, 0)))
  }
}
writeJSON(list(meta = meta, cases = probCases), "probability-information.json")

# --- 2. ability estimates and standard errors ------------------------------------
Ji <- get("Ji", catr)
# catR's estimating function for ML, BM (normal prior) and WL, as inside thetaEst();
# polytomous (model given): the score is sum dP[x] / P[x] as in thetaEst()'s dl().
estEq <- function(th, it, x, D, m, priorPar, model = NULL) {
  pr <- Pi(th, it, model = model, D = D)
  if (is.null(model)) {
    P <- pr$Pi
    r <- sum(pr$dPi * (x - P) / (P * (1 - P)))
  } else {
    at <- cbind(seq_along(x), x + 1)
    r <- sum(pr$dPi[at] / pr$Pi[at])
  }
  r0 <- switch(m, ML = 0, BM = (priorPar[1] - th) / priorPar[2]^2,
               WL = sum(Ji(th, it, model = model, D = D)$Ji) /
                 (2 * sum(Ii(th, it, model = model, D = D)$Ii)))
  r + r0
}
# With 3PL/4PL items the estimating equation can have several roots. catR returns
# whichever one uniroot() reaches; the statistically meaningful one is the root with
# the highest objective (log-likelihood, log-posterior or Warm's weighted
# log-likelihood, i.e. the integral of the estimating function). Both are recorded.
allRoots <- function(it, x, D, m, priorPar, range, model = NULL) {
  f <- function(th) estEq(th, it, x, D, m, priorPar, model)
  if ((f(range[1]) < 0 & f(range[2]) < 0) | (f(range[1]) > 0 & f(range[2]) > 0)) return(NULL)
  grid <- seq(range[1], range[2], length.out = 801)
  v <- vapply(grid, f, 0)
  roots <- numeric(0)
  for (k in seq_len(length(grid) - 1)) {
    if (v[k] == 0) roots <- c(roots, grid[k])
    else if (v[k + 1] != 0 && sign(v[k]) != sign(v[k + 1]))
      roots <- c(roots, stats::uniroot(f, grid[k:(k + 1)], tol = 1e-13)$root)
  }
  if (v[length(v)] == 0) roots <- c(roots, grid[length(grid)])
  level <- 0
  levels <- 0
  for (j in seq_along(roots)[-1]) {
    level <- level + stats::integrate(Vectorize(f), roots[j - 1], roots[j], rel.tol = 1e-10)$value
    levels <- c(levels, level)
  }
  list(roots = roots, best = roots[which.max(levels)])
}

estCases <- list()
addCase <- function(name, it, x, D = 1, priorPar = c(0, 1), range = c(-4, 4),
                    parInt = c(-4, 4, 33)) {
  res <- list()
  for (m in c("ML", "BM", "WL", "EAP")) {
    th <- thetaEst(it, x, D = D, method = m, priorDist = "norm", priorPar = priorPar,
                   range = range, parInt = parInt)
    thT <- thetaEstTight(it, x, D = D, method = m, priorDist = "norm", priorPar = priorPar,
                         range = range, parInt = parInt)
    se <- semTheta(th, it, x, D = D, method = m, priorDist = "norm", priorPar = priorPar,
                   parInt = parInt)
    seT <- semTheta(thT, it, x, D = D, method = m, priorDist = "norm", priorPar = priorPar,
                    parInt = parInt)
    res[[m]] <- list(theta = th, se = se, thetaExact = thT, seExact = seT)
    if (m != "EAP") {
      rr <- allRoots(it, x, D, m, priorPar, range)
      if (!is.null(rr)) {
        res[[m]]$roots <- I(rr$roots)
        res[[m]]$bestRoot <- rr$best
        res[[m]]$seBestRoot <- semTheta(rr$best, it, x, D = D, method = m, priorDist = "norm",
                                        priorPar = priorPar, parInt = parInt)
      }
    }
  }
  estCases[[length(estCases) + 1]] <<- list(
    name = name, D = D, prior = list(mean = priorPar[1], sd = priorPar[2]),
    range = I(range), grid = list(lower = parInt[1], upper = parInt[2], points = parInt[3]),
    items = itemList(it), responses = I(x), estimates = res)
}

# catR's thetaEst() help example: tcals bank, true ability 0.
set.seed(1)
xDoc <- rbinom(85, 1, Pi(0, tc)$Pi)
addCase("catR thetaEst() example: tcals, set.seed(1), theta 0", tc, xDoc)
addCase("catR thetaEst() example with D = 1.702", tc, xDoc, D = 1.702)
addCase("tcals example, prior N(0.5, 1.5^2), EAP grid [-3, 3] x 21, range [-3, 3]",
        tc, xDoc, priorPar = c(0.5, 1.5), range = c(-3, 3), parInt = c(-3, 3, 21))

one2pl <- rbind(c(1.2, 0.3, 0, 1))
one3pl <- rbind(c(1.5, -0.5, 0.2, 1))
one4pl <- rbind(c(2, 1, 0.15, 0.9))
addCase("one response: 2PL correct", one2pl, 1)
addCase("one response: 2PL incorrect", one2pl, 0)
addCase("one response: 3PL correct", one3pl, 1)
addCase("one response: 3PL incorrect", one3pl, 0)
addCase("one response: 4PL correct, D = 1.702", one4pl, 1, D = 1.702)
addCase("one response: 4PL incorrect, D = 1.702", one4pl, 0, D = 1.702)

first10 <- tc[1:10, ]
addCase("all correct: tcals items 1-10", first10, rep(1, 10))
addCase("all wrong: tcals items 1-10", first10, rep(0, 10))
addCase("all correct: extreme items", extreme, rep(1, nrow(extreme)))
addCase("all wrong: extreme items, D = 1.702", extreme, rep(0, nrow(extreme)), D = 1.702)
addCase("extreme items, mixed pattern", extreme, c(1, 1, 0, 1, 0, 1, 0, 1, 1, 0))
addCase("extreme items, mixed pattern, D = 1.702", extreme, c(1, 0, 1, 1, 0, 1, 1, 1, 0, 1),
        D = 1.702)

# Aberrant patterns (hard items right, easy items wrong) on 3PL items: the
# likelihood can have several local maxima here.
aberrant <- tc[c(14, 33, 36, 39, 25, 27, 77, 80), ]
addCase("aberrant pattern on tcals 3PL items", aberrant, c(0, 0, 0, 0, 1, 1, 1, 1))
addCase("aberrant pattern on tcals 3PL items, D = 1.702", aberrant, c(0, 0, 0, 1, 1, 0, 1, 1),
        D = 1.702)
addCase("wrong on easiest, right on hardest extreme items", extreme[c(6, 8, 5, 7, 3), ],
        c(0, 0, 1, 1, 1))

set.seed(20240611)
for (k in 1:6) {
  n <- c(5, 12, 20, 30, 40, 60)[k]
  it <- cbind(runif(n, 0.5, 2.5), rnorm(n), runif(n, 0, 0.3), runif(n, 0.9, 1))
  if (k <= 2) it[, 3:4] <- cbind(rep(0, n), rep(1, n))         # 2PL banks
  trueTheta <- c(-1.5, 0.7, 2, -0.4, 1.2, -2.2)[k]
  x <- rbinom(n, 1, Pi(trueTheta, it)$Pi)
  D <- if (k %% 2 == 0) 1.702 else 1
  addCase(sprintf("random %s bank, %d items, true theta %.1f, D = %g",
                  if (k <= 2) "2PL" else "4PL", n, trueTheta, D), it, x, D = D)
}
writeJSON(list(meta = meta, cases = estCases), "estimators.json")

# --- 3. next item (maximum Fisher information, content balancing) ---------------
groups <- tcals$Group
cbList <- list(names = c("Audio1", "Audio2", "Written1", "Written2", "Written3"),
               props = c(0.1, 0.2, 0.2, 0.2, 0.3))
uniqueBest <- function(theta, D, avail) {
  info <- Ii(theta, tc, D = D)$Ii[avail]
  s <- sort(info, decreasing = TRUE)
  length(s) < 2 || s[1] - s[2] > 1e-9
}
selCases <- list()
set.seed(99)
for (D in c(1, 1.702)) {
  for (theta in c(-3.2, -2, -1.3, -0.5, 0, 0.4, 1, 2.5)) {
    for (nOut in c(0, 3, 10, 40)) {
      out <- if (nOut == 0) integer(0) else sort(sample(85, nOut))
      avail <- setdiff(1:85, out)
      if (!uniqueBest(theta, D, avail)) next
      r <- nextItem(tc, theta = theta, out = if (nOut == 0) NULL else out, criterion = "MFI",
                    D = D, randomesque = 1)
      selCases[[length(selCases) + 1]] <- list(theta = theta, D = D, out = I(out - 1),
                                               item = r$item - 1, info = r$info)
    }
  }
}
# Content balancing: only cases where catR's group choice is not a random tie.
# (Also used by generate-polytomous-cat.R, with `model`.)
contentBalancingCases <- function(n, it, groups, seed, isUnique, model = NULL) {
  cases <- list()
  set.seed(seed)
  tries <- 0
  while (length(cases) < n && tries < 2000) {
    tries <- tries + 1
    nOut <- sample(c(1:4, 6, 9, 14, 20), 1)
    out <- sort(sample(nrow(it), nOut))
    theta <- round(runif(1, -3, 2), 2)
    D <- sample(c(1, 1.702), 1)
    counts <- vapply(cbList$names, function(g) sum(groups[out] == g), 0)
    emp <- counts / sum(counts)
    if (any(emp == 0)) {
      if (sum(emp == 0) != 1) next
      grp <- which(emp == 0)
    } else {
      gap <- cbList$props - emp
      # A near-tie (e.g. 0.1 vs 0.09999999999999998) is a tie: catR would break it by
      # floating-point noise, a careful implementation at random.
      if (sum(gap > max(gap) - 1e-9) != 1) next
      grp <- which.max(gap)
    }
    avail <- setdiff(which(groups == cbList$names[grp]), out)
    if (length(avail) == 0 || !isUnique(theta, D, avail)) next
    r <- nextItem(it, model = model, theta = theta, out = out, criterion = "MFI", D = D, randomesque = 1,
                  cbControl = cbList, cbGroup = groups)
    cases[[length(cases) + 1]] <- list(theta = theta, D = D, out = I(out - 1), item = r$item - 1,
                                       info = r$info, group = groups[r$item])
  }
  cases
}
cbCases <- contentBalancingCases(24, tc, groups, 7, uniqueBest)
writeJSON(list(meta = meta, note = "item indices are 0-based (catR's minus one)",
               bank = lapply(seq_len(nrow(tc)), function(i)
                 list(a = tc[i, 1], b = tc[i, 2], c = tc[i, 3], d = tc[i, 4],
                      topic = groups[i])),
               contentTargets = setNames(as.list(cbList$props), cbList$names),
               mfi = selCases, contentBalancing = cbCases), "selection.json")

# --- 4. a whole CAT: MFI selection + EAP, responses from fixed uniforms ----------
catRuns <- list()
for (run in 1:3) {
  set.seed(500 + run)
  trueTheta <- c(-1.2, 0.3, 1.6)[run]
  u <- runif(20)
  D <- c(1, 1.702, 1)[run]
  method <- c("EAP", "BM", "WL")[run]
  th <- 0; out <- integer(0); x <- integer(0)
  steps <- list()
  for (k in 1:20) {
    item <- nextItem(tc, theta = th, out = if (length(out) == 0) NULL else out,
                     criterion = "MFI", D = D, randomesque = 1)$item
    resp <- as.integer(u[k] < Pi(trueTheta, tc[item, , drop = FALSE], D = D)$Pi)
    out <- c(out, item); x <- c(x, resp)
    it <- tc[out, , drop = FALSE]
    th <- thetaEstTight(it, x, D = D, method = method, priorDist = "norm",
                        priorPar = c(0, 1), range = c(-4, 4), parInt = c(-4, 4, 33))
    se <- semTheta(th, it, x, D = D, method = method, priorDist = "norm",
                   priorPar = c(0, 1), parInt = c(-4, 4, 33))
    steps[[k]] <- list(item = item - 1, response = resp, theta = th, se = se)
  }
  catRuns[[run]] <- list(trueTheta = trueTheta, D = D, method = method, startTheta = 0,
                         uniforms = I(u), steps = steps)
}
writeJSON(list(meta = meta,
               note = "bank = selection.json's bank; response = uniform < P(trueTheta); item indices 0-based",
               runs = catRuns), "cat-runs.json")

# --- 5. polytomous models ----------------------------------------------------------
fileArg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
scriptDir <- if (length(fileArg) == 1) dirname(sub("^--file=", "", fileArg)) else "test/vectors"
source(file.path(scriptDir, "generate-polytomous.R"), local = TRUE)
source(file.path(scriptDir, "generate-polytomous-cat.R"), local = TRUE)
