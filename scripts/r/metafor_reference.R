# Regenerate the metafor reference values that tests/synthesis/test_meta*.py compare against.
#
#   Rscript scripts/r/metafor_reference.R            (from the repository root)
#
# Writes tests/data/metafor_<dataset>.json, one file per metafor dataset, each recording the R,
# metafor and jsonlite versions it was made with. Iterative estimators run with tight convergence
# so tau^2 sits at its optimum: threshold = 1e-12 for the Fisher scoring of REML and ML (metafor's
# default stops about 1e-5 away) and tol = 1e-12 for the uniroot search of PM (which ignores
# threshold; its default tol leaves tau^2 about 1e-4 off on dat.bcg). The Q-profile intervals use
# uniroot with tol = 1e-12 for the same reason, and search up to tau2 = 1e8 so that the bounds
# are the exact roots rather than metafor's search cap of max(100, 10 tau^2).
# The tests read these JSON files only; R is never needed to run them.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

out_dir <- file.path("tests", "data")
if (!dir.exists(out_dir)) stop("run this script from the repository root (tests/data not found)")

tight <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
ci_tight <- list(tol = 1e-12, maxiter = 10000)

versions <- list(
  r_version = R.version.string,
  metafor_version = as.character(packageVersion("metafor")),
  jsonlite_version = as.character(packageVersion("jsonlite")),
  generated_by = "scripts/r/metafor_reference.R"
)

fit_record <- function(res) {
  # One intercept-only model: the pooled estimate, heterogeneity and the prediction interval.
  pred <- predict(res)
  rec <- list(
    method = res$method, test = res$test, k = res$k,
    estimate = unname(res$beta[1, 1]), se = unname(res$se), stat = unname(res$zval),
    pval = unname(res$pval), ci_lb = unname(res$ci.lb), ci_ub = unname(res$ci.ub),
    tau2 = unname(res$tau2), q = unname(res$QE), q_p = unname(res$QEp),
    i2 = unname(res$I2), h2 = unname(res$H2),
    pi_lb = unname(if (is.null(pred$pi.lb)) pred$ci.lb else pred$pi.lb),
    pi_ub = unname(if (is.null(pred$pi.ub)) pred$ci.ub else pred$pi.ub)
  )
  if (res$method != "FE") {
    # confint() stops its search at tau2.max = max(100, 10 tau2) by default and then reports
    # that cap as the bound; with few studies (k = 2) or large effects (MD) the exact bound lies
    # beyond it. Record metafor's default answer and the exact one (search up to 1e8).
    ci <- confint(res, control = ci_tight)$random
    rec$tau2_ci_metafor_default <- unname(ci["tau^2", c("ci.lb", "ci.ub")])
    ci <- confint(res, control = c(ci_tight, list(tau2.max = 1e8)))$random
    rec$tau2_ci <- unname(ci["tau^2", c("ci.lb", "ci.ub")])
    rec$i2_ci <- unname(ci["I^2(%)", c("ci.lb", "ci.ub")])
    rec$h2_ci <- unname(ci["H^2", c("ci.lb", "ci.ub")])
  }
  rec
}

fits_for <- function(yi, vi, methods = c("FE", "DL", "REML", "ML", "PM"), knha = TRUE) {
  fits <- list()
  for (m in methods) {
    fits[[m]] <- fit_record(rma(yi, vi, method = m, control = tight))
    if (knha) {
      res <- suppressWarnings(rma(yi, vi, method = m, test = "knha", control = tight))
      fits[[paste0(m, "_knha")]] <- fit_record(res)
    }
  }
  fits
}

metareg_record <- function(res, moderators) {
  rec <- list(
    method = res$method, test = res$test, k = res$k, moderators = I(moderators),
    coef = unname(res$beta[, 1]), se = unname(res$se), stat = unname(res$zval),
    pval = unname(res$pval), ci_lb = unname(res$ci.lb), ci_ub = unname(res$ci.ub),
    tau2 = unname(res$tau2), qm = unname(res$QM), qm_p = unname(res$QMp),
    qe = unname(res$QE), qe_p = unname(res$QEp), i2 = unname(res$I2), h2 = unname(res$H2),
    r2 = if (is.null(res$R2)) NULL else unname(res$R2)
  )
  rec
}

egger_record <- function(res) {
  eg <- regtest(res)
  # The same model written out, to check regtest used the tight control settings as well.
  sei <- sqrt(res$vi)
  direct <- rma(res$yi, res$vi, mods = ~ sei, method = res$method, test = res$test,
                control = tight)
  stopifnot(abs(direct$zval[2] - eg$zval) < 1e-6 * max(1, abs(eg$zval)))
  list(method = res$method, predictor = "sei", z = unname(direct$zval[2]),
       p = unname(direct$pval[2]), limit_estimate = unname(direct$beta[1, 1]),
       tau2 = unname(direct$tau2))
}

subgroup_record <- function(yi, vi, group, method) {
  groups <- sort(unique(as.character(group)))
  est <- se <- numeric(0)
  per <- list()
  for (g in groups) {
    res <- rma(yi[group == g], vi[group == g], method = method, control = tight)
    per[[g]] <- fit_record(res)
    est <- c(est, res$beta[1, 1])
    se <- c(se, res$se)
  }
  # Test of subgroup differences: a fixed-effect meta-regression of the subgroup estimates on
  # the grouping (separate tau^2 per subgroup), as in the metafor documentation.
  fg <- factor(groups)
  between <- rma(est, sei = se, mods = ~ fg, method = "FE")
  list(method = method, groups = groups, fits = per, q_between = unname(between$QM),
       df = length(groups) - 1, p_between = unname(between$QMp))
}

as_columns <- function(df) lapply(as.list(df), function(col) if (is.factor(col)) as.character(col) else col)

write_ref <- function(name, x) {
  path <- file.path(out_dir, paste0("metafor_", name, ".json"))
  write_json(c(versions, x), path, auto_unbox = TRUE, digits = NA, pretty = TRUE,
             null = "null", na = "null")
  cat("wrote", path, "\n")
}

## dat.bcg: BCG vaccine trials (Colditz et al. 1994), log risk ratios -----------------------------
bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
bcg_or <- escalc(measure = "OR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
bcg_rd <- escalc(measure = "RD", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
reml <- rma(yi, vi, data = bcg, method = "REML", control = tight)
write_ref("bcg", list(
  dataset = "dat.bcg",
  data = as_columns(dat.bcg[, c("trial", "author", "year", "tpos", "tneg", "cpos", "cneg",
                                "ablat", "alloc")]),
  escalc = list(
    RR = list(yi = as.vector(bcg$yi), vi = as.vector(bcg$vi)),
    OR = list(yi = as.vector(bcg_or$yi), vi = as.vector(bcg_or$vi)),
    RD = list(yi = as.vector(bcg_rd$yi), vi = as.vector(bcg_rd$vi))
  ),
  fits = fits_for(bcg$yi, bcg$vi),
  metareg = list(
    REML_ablat = metareg_record(
      rma(yi, vi, mods = ~ ablat, data = bcg, method = "REML", control = tight), "ablat"),
    REML_ablat_knha = metareg_record(
      rma(yi, vi, mods = ~ ablat, data = bcg, method = "REML", test = "knha", control = tight),
      "ablat"),
    REML_ablat_year = metareg_record(
      rma(yi, vi, mods = ~ ablat + year, data = bcg, method = "REML", control = tight),
      c("ablat", "year")),
    DL_ablat = metareg_record(
      rma(yi, vi, mods = ~ ablat, data = bcg, method = "DL", control = tight), "ablat")
  ),
  subgroups = list(REML_alloc = subgroup_record(bcg$yi, bcg$vi, bcg$alloc, "REML")),
  egger = list(REML = egger_record(reml))
))

## dat.normand1999: stroke rehabilitation length of stay, SMD and MD -----------------------------
smd <- escalc(measure = "SMD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i,
              n2i = n2i, data = dat.normand1999)
md <- escalc(measure = "MD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i,
             n2i = n2i, data = dat.normand1999)
write_ref("normand1999", list(
  dataset = "dat.normand1999",
  data = as_columns(dat.normand1999),
  escalc = list(
    SMD = list(yi = as.vector(smd$yi), vi = as.vector(smd$vi)),
    MD = list(yi = as.vector(md$yi), vi = as.vector(md$vi))
  ),
  fits = list(SMD = fits_for(smd$yi, smd$vi), MD = fits_for(md$yi, md$vi, knha = FALSE))
))

## dat.molloy2014: conscientiousness and medication adherence, Fisher z of correlations ----------
zcor <- escalc(measure = "ZCOR", ri = ri, ni = ni, data = dat.molloy2014)
write_ref("molloy2014", list(
  dataset = "dat.molloy2014",
  data = as_columns(dat.molloy2014[, c("authors", "year", "ni", "ri", "meanage", "quality")]),
  escalc = list(ZCOR = list(yi = as.vector(zcor$yi), vi = as.vector(zcor$vi))),
  fits = fits_for(zcor$yi, zcor$vi),
  metareg = list(
    REML_meanage_quality = metareg_record(
      rma(yi, vi, mods = ~ meanage + quality, data = zcor, method = "REML", control = tight),
      c("meanage", "quality"))
  ),
  egger = list(REML = egger_record(rma(yi, vi, data = zcor, method = "REML", control = tight)))
))

## dat.egger2001: intravenous magnesium after myocardial infarction, OR / RR / RD with a zero cell -
or <- escalc(measure = "OR", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = dat.egger2001)
rr <- escalc(measure = "RR", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = dat.egger2001)
rd <- escalc(measure = "RD", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = dat.egger2001)
or_reml <- rma(yi, vi, data = or, method = "REML", control = tight)
or_dl <- rma(yi, vi, data = or, method = "DL")
write_ref("egger2001", list(
  dataset = "dat.egger2001",
  data = as_columns(dat.egger2001),
  escalc = list(
    OR = list(yi = as.vector(or$yi), vi = as.vector(or$vi)),
    RR = list(yi = as.vector(rr$yi), vi = as.vector(rr$vi)),
    RD = list(yi = as.vector(rd$yi), vi = as.vector(rd$vi))
  ),
  fits = list(OR = fits_for(or$yi, or$vi), RD = fits_for(rd$yi, rd$vi, knha = FALSE)),
  egger = list(REML = egger_record(or_reml), DL = egger_record(or_dl),
               FE = egger_record(rma(yi, vi, data = or, method = "FE")))
))

## The bundled study-level tables (src/hrhlessons/data/studies): REML on their yi/vi columns,
## and for the table with 2x2 counts, escalc OR from the counts as well ---------------------
studies_dir <- file.path("src", "hrhlessons", "data", "studies")
study_fits <- list()
for (path in sort(list.files(studies_dir, pattern = "\\.csv$", full.names = TRUE))) {
  tab <- read.csv(path, stringsAsFactors = FALSE)
  rec <- list(yi_vi = fits_for(tab$yi, tab$vi, methods = c("REML", "DL"), knha = FALSE))
  if (all(!is.na(tab$ai))) {
    counts <- escalc(measure = "OR", ai = ai, bi = bi, ci = ci, di = di, data = tab)
    rec$counts_or <- list(yi = as.vector(counts$yi), vi = as.vector(counts$vi),
                          fits = fits_for(counts$yi, counts$vi, methods = "REML", knha = FALSE))
  }
  study_fits[[basename(path)]] <- rec
}
write_ref("studies", list(dataset = "src/hrhlessons/data/studies/*.csv", files = study_fits))
