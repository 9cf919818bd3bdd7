#!/usr/bin/env Rscript
# DeLong golden values from R's pROC for the model audit (docs/SPEC-models.md [M11], [M22]).
#
#   Rscript scripts/golden/models.R
#
# Reads the real DenseNet-121 predictions and the 2020 NIH metadata from ../shared/data and
# writes packages/ingest/src/golden/models-proc.json. Per finding (the 14 labelled ones and
# the derived Opacity and Nodule/Mass scored as the maximum of their parts), on the subset of
# the PA films (13,586 images) and on all 22,433: the AUC, DeLong variance and 95% interval
# (`ci.auc(method = "delong")`, direction "<"); and the unpaired DeLong test (`roc.test(paired =
# FALSE, method = "delong")`) of women against men and of AP against PA films on all images,
# which is what `eval --by sex` / `--by view` report between subgroups.
suppressMessages({
  library(pROC)
  library(jsonlite)
})

here <- tryCatch(dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE)))),
                 error = function(e) "scripts/golden")
root <- normalizePath(file.path(here, "..", ".."))
shared <- file.path(dirname(root), "shared", "data")
output <- file.path(root, "packages", "ingest", "src", "golden", "models-proc.json")

num <- function(x) if (is.na(x)) "null" else sprintf("%.17g", x)
obj <- function(...) {
  x <- list(...)
  paste0("{", paste(sprintf('"%s":%s', names(x), unlist(x)), collapse = ","), "}")
}

preds <- read.csv(file.path(shared, "predictions", "densenet121-jrzech-test-preds.csv"), check.names = FALSE)
meta <- read.csv(gzfile(file.path(shared, "cxr14", "Data_Entry_2017_v2020.csv.gz")), check.names = FALSE)
data <- merge(preds, meta, by = "Image Index", all.x = TRUE, sort = FALSE)
stopifnot(nrow(data) == 22433)

findings <- c("Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Mass", "Nodule", "Pneumonia",
              "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis", "Pleural_Thickening", "Hernia")
derived <- list("Opacity" = c("Atelectasis", "Pneumonia", "Consolidation", "Infiltration"),
                "Nodule/Mass" = c("Nodule", "Mass"))
labels <- strsplit(data[["Finding Labels"]], "|", fixed = TRUE)
y <- list()
s <- list()
for (f in findings) {
  y[[f]] <- as.integer(vapply(labels, function(l) f %in% l, TRUE))
  s[[f]] <- as.numeric(data[[paste0("prob_", f)]])
}
for (f in names(derived)) {
  y[[f]] <- do.call(pmax, y[derived[[f]]])
  s[[f]] <- do.call(pmax, s[derived[[f]]])
}

fit <- function(yy, ss) roc(response = yy, predictor = ss, levels = c(0, 1), direction = "<", quiet = TRUE)
interval <- function(yy, ss) {
  r <- fit(yy, ss)
  ci <- ci.auc(r, method = "delong")
  obj(n = length(yy), positives = sum(yy), auc = num(as.numeric(auc(r))), variance = num(var(r, method = "delong")),
      aucLow = num(ci[1]), aucHigh = num(ci[3]))
}
unpaired <- function(yy, ss, mask_a, mask_b) {
  t <- roc.test(fit(yy[mask_a], ss[mask_a]), fit(yy[mask_b], ss[mask_b]), paired = FALSE, method = "delong")
  obj(D = num(unname(t$statistic)), df = num(unname(t$parameter)), p = num(t$p.value),
      aucA = num(unname(t$estimate[1])), aucB = num(unname(t$estimate[2])))
}

sex <- data[["Patient Gender"]]
view <- data[["View Position"]]
rows <- c()
for (f in c(findings, names(derived))) {
  pa <- view == "PA"
  rows <- c(rows, obj(
    finding = toJSON(f, auto_unbox = TRUE),
    all = interval(y[[f]], s[[f]]),
    pa = interval(y[[f]][pa], s[[f]][pa]),
    femaleVsMale = unpaired(y[[f]], s[[f]], sex == "F", sex == "M"),
    apVsPa = unpaired(y[[f]], s[[f]], view == "AP", view == "PA")
  ))
}
source <- sprintf("R %s, pROC %s: ci.auc/var(method = 'delong'), roc.test(paired = FALSE, method = 'delong'), direction '<'; made by scripts/golden/models.R",
                  paste(R.version$major, R.version$minor, sep = "."), as.character(packageVersion("pROC")))
writeLines(paste0('{"source":', toJSON(source, auto_unbox = TRUE), ',"findings":[\n', paste(rows, collapse = ",\n"), "\n]}"), output)
message("wrote ", output)
