#!/usr/bin/env Rscript
# Reference values for hrhlessons.synthesis.survival, computed with R's survival package.
#
# Run from the repository root:   Rscript scripts/r/survival_reference.R
#
# Writes
#   tests/data/survival_registry.csv      lifetimes of the bundled registry (exported by Python)
#   tests/data/survival_r_aml.json        survival::aml  (Embury et al. 1977, via Miller 1981)
#   tests/data/survival_r_lung.json       survival::lung (Loprinzi et al. 1994), complete cases
#   tests/data/survival_r_registry.json   the registry lifetimes above
#
# Conventions matched to lifelines: Kaplan-Meier intervals on the log(-log) scale
# (conf.type = "log-log", lifelines' "exponential Greenwood"); Cox ties by Efron's method,
# unpenalised; log-rank by survdiff (rho = 0). The tests read these files only; R is not needed
# to run them.

suppressPackageStartupMessages({
  library(survival)
  library(jsonlite)
})

out_dir <- file.path("tests", "data")
python <- Sys.getenv("HRH_PYTHON", file.path(".venv", "bin", "python"))

versions <- list(
  R = R.version.string,
  survival = as.character(packageVersion("survival")),
  jsonlite = as.character(packageVersion("jsonlite")),
  generated = format(Sys.time(), "%Y-%m-%d", tz = "UTC")
)

km_table <- function(fit) {
  list(time = fit$time, n_risk = fit$n.risk, n_event = fit$n.event, surv = fit$surv,
       lower = fit$lower, upper = fit$upper)
}

km_median <- function(fit) {
  tab <- summary(fit)$table
  list(median = unname(tab["median"]), lower = unname(tab["0.95LCL"]),
       upper = unname(tab["0.95UCL"]))
}

km_block <- function(time, event) {
  fit <- survfit(Surv(time, event) ~ 1, conf.type = "log-log")
  c(km_table(fit), list(median = km_median(fit)))
}

logrank_block <- function(time, event, group) {
  sd <- survdiff(Surv(time, event) ~ group)
  df <- length(sd$n) - 1
  list(chisq = sd$chisq, df = df, p = pchisq(sd$chisq, df, lower.tail = FALSE),
       groups = sub("^group=", "", names(sd$n)), n = as.integer(sd$n),
       observed = as.numeric(sd$obs), expected = as.numeric(sd$exp))
}

cox_block <- function(formula, data) {
  fit <- coxph(formula, data = data, ties = "efron")
  s <- summary(fit)$coefficients
  list(terms = rownames(s), coef = unname(s[, "coef"]), se = unname(s[, "se(coef)"]),
       p = unname(s[, "Pr(>|z|)"]), loglik = fit$loglik[2], n = fit$n, events = fit$nevent)
}

write_ref <- function(x, name) {
  path <- file.path(out_dir, name)
  write(toJSON(x, digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null"), path)
  message("wrote ", path)
}

# ---- (1a) aml: acute myelogenous leukaemia, maintenance chemotherapy or not ----------------
aml_df <- survival::aml
aml_ref <- list(
  source = "R survival::aml (Miller 1981, Survival Analysis, p. 49)",
  versions = versions,
  data = list(time = aml_df$time, status = aml_df$status, x = as.character(aml_df$x)),
  km_all = km_block(aml_df$time, aml_df$status),
  km_maintained = with(subset(aml_df, x == "Maintained"), km_block(time, status)),
  km_nonmaintained = with(subset(aml_df, x == "Nonmaintained"), km_block(time, status)),
  logrank_x = logrank_block(aml_df$time, aml_df$status, aml_df$x),
  cox_x = cox_block(Surv(time, status) ~ I(as.numeric(x == "Nonmaintained")), aml_df)
)
write_ref(aml_ref, "survival_r_aml.json")

# ---- (1b) lung: NCCTG advanced lung cancer, complete cases of age, sex, ph.ecog ------------
lung_df <- na.omit(survival::lung[, c("time", "status", "age", "sex", "ph.ecog")])
lung_df$event <- as.integer(lung_df$status == 2)
lung_ref <- list(
  source = "R survival::lung (Loprinzi et al. 1994, J Clin Oncol 12:601), complete cases",
  versions = versions,
  data = list(time = lung_df$time, event = lung_df$event, age = lung_df$age,
              sex = lung_df$sex, ph_ecog = lung_df$ph.ecog),
  km_all = km_block(lung_df$time, lung_df$event),
  logrank_sex = logrank_block(lung_df$time, lung_df$event, lung_df$sex),
  logrank_ecog = logrank_block(lung_df$time, lung_df$event, lung_df$ph.ecog),
  cox_age_sex_ecog = cox_block(Surv(time, event) ~ age + sex + ph.ecog, lung_df)
)
write_ref(lung_ref, "survival_r_lung.json")

# ---- (2) the bundled registry's own lifetimes ---------------------------------------------
csv_path <- file.path(out_dir, "survival_registry.csv")
export <- "
import sys
from hrhlessons.ingest import bundled_cases_dir, read_paths
from hrhlessons.synthesis.frame import cases_frame
from hrhlessons.synthesis.survival import SurvivalOptions, cox_design
frame = cases_frame(read_paths([bundled_cases_dir()]).cases)
frame = frame[frame['kind'] != 'excluded']
design = cox_design(frame, ['government_ownership', 'domestic_financing'],
                    SurvivalOptions(min_level_count=1))
cols = ['id', 'kind', 'lower', 'upper', 'domain', 'funding', 'level']
out = frame[cols].join(design[0].drop(columns=['_duration', '_event', '_id']))
out.to_csv(sys.argv[1], index=False, float_format='%.10g')
"
status <- system2(python, c("-c", shQuote(export), csv_path))
if (status != 0) stop("the Python export of the registry lifetimes failed; is the venv at ",
                      python, "? set HRH_PYTHON to its python")
reg <- read.csv(csv_path, stringsAsFactors = FALSE)
reg$event <- as.integer(reg$kind == "event")
rc <- subset(reg, kind != "interval")   # exact or right-censored only
covars <- setdiff(names(reg), c("id", "kind", "lower", "upper", "domain", "funding", "level",
                                "event"))
cox_formula <- as.formula(paste("Surv(lower, event) ~", paste(covars, collapse = " + ")))

# Turnbull on all usable lifetimes: exact (left == right), right-censored (right NA) and
# interval-censored [0.5, status_year - start_year].
right <- ifelse(is.infinite(reg$upper) | is.na(reg$upper), NA, reg$upper)
tb <- survfit(Surv(reg$lower, right, type = "interval2") ~ 1)

reg_ref <- list(
  source = "HRH Lessons bundled registry, lifetimes exported to survival_registry.csv",
  versions = versions,
  n = nrow(reg), n_right_censored_data = nrow(rc),
  km_all = km_block(rc$lower, rc$event),
  logrank_domain = logrank_block(rc$lower, rc$event, rc$domain),
  logrank_funding = logrank_block(rc$lower, rc$event, rc$funding),
  cox = c(cox_block(cox_formula, rc), list(covariates = covars)),
  turnbull_all = list(time = tb$time, surv = tb$surv)
)
write_ref(reg_ref, "survival_r_registry.json")
