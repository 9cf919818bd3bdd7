#!/usr/bin/env Rscript
# DeLong golden values from R's pROC, for packages/core/src/stats (docs/SPEC-stats.md [S10]-[S13]).
#
#   Rscript scripts/golden/auc-delong.R [input.json] [output.json]
#
# Reads the cases (y, score, score2) of the shared auc-delong.json (default: the copy in
# packages/core/src/stats/golden/), recomputes every pROC figure for them, adds a few edge cases
# of its own (ties, 2 positives, AUC below 0.5, a 90% interval) and writes
# packages/core/src/stats/golden/auc-delong-proc.json. The `delong` fields of the shared cases
# come out equal to the shared file's; `auc` there came from sklearn and is copied through.
suppressMessages({
  library(pROC)
  library(jsonlite)
})

# jsonlite prints at most 15 significant digits; this writer keeps all 17 (NaN as "NaN").
# Vectors wrapped in I() are always arrays, other length-1 vectors are scalars.
json_number <- function(x) {
  ifelse(is.nan(x) | is.na(x), '"NaN"', ifelse(is.infinite(x), ifelse(x > 0, '"Infinity"', '"-Infinity"'),
                                            sprintf("%.17g", x)))
}
to_json <- function(x) {
  if (is.list(x) && !is.null(names(x))) {
    fields <- vapply(names(x), function(k) paste0(toJSON(k, auto_unbox = TRUE), ":", to_json(x[[k]])), "")
    return(paste0("{", paste(fields, collapse = ","), "}"))
  }
  if (is.list(x)) return(paste0("[", paste(vapply(x, to_json, ""), collapse = ","), "]"))
  if (is.character(x)) return(toJSON(unclass(x), auto_unbox = !inherits(x, "AsIs")))
  values <- json_number(as.numeric(x))
  if (length(x) == 1 && !inherits(x, "AsIs")) values else paste0("[", paste(values, collapse = ","), "]")
}

args <- commandArgs(trailingOnly = TRUE)
here <- tryCatch(dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE)))),
                 error = function(e) "scripts/golden")
golden <- file.path(here, "..", "..", "packages", "core", "src", "stats", "golden")
input <- if (length(args) >= 1) args[[1]] else file.path(golden, "auc-delong.json")
output <- if (length(args) >= 2) args[[2]] else file.path(golden, "auc-delong-proc.json")

fit <- function(y, score) {
  suppressWarnings(roc(response = y, predictor = score, levels = c(0, 1), direction = "<", quiet = TRUE))
}

delong_figures <- function(y, score, score2, conf.level = 0.95) {
  r1 <- fit(y, score)
  r2 <- fit(y, score2)
  ci <- suppressWarnings(ci.auc(r1, method = "delong", conf.level = conf.level))
  paired <- suppressWarnings(roc.test(r1, r2, paired = TRUE, method = "delong"))
  half <- length(y) %/% 2
  first <- seq_len(half)
  second <- seq(half + 1, length(y))
  unpaired <- suppressWarnings(roc.test(fit(y[first], score[first]), fit(y[second], score[second]),
                                        paired = FALSE, method = "delong"))
  list(
    aucLow = ci[[1]], auc = ci[[2]], aucHigh = ci[[3]],
    variance = suppressWarnings(var(r1, method = "delong")),
    pairedZ = unname(paired$statistic), pairedP = paired$p.value,
    unpairedFirstHalfVsSecondHalf = list(
      aucA = unname(unpaired$estimate[[1]]), aucB = unname(unpaired$estimate[[2]]),
      D = unname(unpaired$statistic), df = unname(unpaired$parameter), p = unpaired$p.value
    )
  )
}

shared <- fromJSON(input, simplifyVector = TRUE)$cases
cases <- list()
for (i in seq_len(nrow(shared))) {
  y <- shared$y[[i]]
  score <- shared$score[[i]]
  score2 <- shared$score2[[i]]
  cases[[length(cases) + 1]] <- list(
    name = sprintf("shared-%d", i), y = I(y), score = I(score), score2 = I(score2), confidence = 0.95,
    auc = as.numeric(auc(fit(y, score))), auc2 = as.numeric(auc(fit(y, score2))),
    delong = delong_figures(y, score, score2)
  )
}

set.seed(20261126)
extra <- list()
# Heavy ties: scores on a 5-point scale, as readers' confidence ratings.
y <- rbinom(120, 1, 0.35)
extra$ties <- list(y = y, score = pmin(5, pmax(1, round(2.5 + 1.2 * y + rnorm(120)))),
                   score2 = pmin(5, pmax(1, round(2.8 + 0.8 * y + rnorm(120)))))
# Two positives in each half, the fewest DeLong allows.
y <- c(1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0)
extra$`two-positives` <- list(y = y, score = round(runif(16) + 0.3 * y, 3), score2 = round(runif(16), 3))
# A score that ranks backwards: direction '<' keeps the AUC below 0.5.
y <- rbinom(200, 1, 0.2)
extra$backwards <- list(y = y, score = rnorm(200) - 0.8 * y, score2 = rnorm(200) + 0.5 * y)
for (name in names(extra)) {
  e <- extra[[name]]
  for (level in c(0.95, 0.9)) {
    cases[[length(cases) + 1]] <- list(
      name = sprintf("%s-%g", name, level), y = I(e$y), score = I(e$score), score2 = I(e$score2),
      confidence = level, auc = as.numeric(auc(fit(e$y, e$score))),
      auc2 = as.numeric(auc(fit(e$y, e$score2))),
      delong = delong_figures(e$y, e$score, e$score2, level)
    )
  }
}

source <- sprintf("R %s, pROC %s: ci.auc/var/roc.test with method='delong', direction='<'",
                  getRversion(), packageVersion("pROC"))
writeLines(to_json(list(source = source, cases = cases)), output)
message("wrote ", output)
