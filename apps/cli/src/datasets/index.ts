import type { Registry } from '../commands/index.ts'
import type { Context } from '../context.ts'
import type { ImportChexpertOptions } from './import-chexpert.ts'

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

/** Registers the dataset formats beyond ChestX-ray14 (issue #12) and `findings same`. */
export function registerDatasetCommands(registry: Registry): void {
  registry
    .global(
      registry.import
        .command('chexpert')
        .description(
          'import CheXpert (or a CheXpert-labelled set): Path- or Study-keyed label files',
        )
        .requiredOption(
          '--file <file>',
          'train.csv, valid.csv or a study-keyed file (plain or .gz; repeatable: one dataset)',
          collect,
        )
        .option('--images <dir>', 'an image folder, scanned recursively (repeatable)', collect)
        .option('--name <name>', 'dataset name', 'CheXpert')
        .option('--skip-bad-rows', 'import the good rows and list the malformed ones'),
    )
    .action(
      registry.action(async (ctx: Context, o: ImportChexpertOptions) => {
        // one file: the reading thread starts before the command's code loads and the database
        // opens (docs/decisions/048)
        const source =
          o.file.length === 1
            ? (await import('./chexpert-worker-reader.ts')).readChexpertInWorker({
                file: o.file[0]!,
                images: o.images,
                skipBadRows: o.skipBadRows,
              })
            : undefined
        try {
          const { importChexpertCommand } = await import('./import-chexpert.ts')
          return await importChexpertCommand(ctx, o, source)
        } finally {
          source?.stop()
        }
      }),
    )

  registry
    .global(
      registry.import
        .command('rsna')
        .description('import RSNA Pneumonia Detection: box labels (Target), class info, DICOMs')
        .option('--labels <file>', 'stage_2_train_labels.csv (plain or .gz)')
        .option('--file <file>', 'the same as --labels')
        .option('--class-info <file>', 'stage_2_detailed_class_info.csv: adds Normal, Not Normal')
        .option(
          '--images <dir>',
          'a folder of <patientId>.dcm, scanned recursively (repeatable)',
          collect,
        )
        .option('--name <name>', 'dataset name', 'RSNA Pneumonia')
        .option('--skip-bad-rows', 'import the good rows and list the malformed ones'),
    )
    .action(registry.lazy(() => import('./import-rsna.ts'), 'importRsnaCommand'))

  registry
    .global(
      registry.import
        .command('mimic')
        .description(
          'import MIMIC-CXR-JPG: per-film metadata, per-study CheXpert or NegBio labels, the split',
        )
        .option('--metadata <file>', 'mimic-cxr-2.0.0-metadata.csv (plain or .gz)')
        .option('--labels <file>', 'mimic-cxr-2.0.0-chexpert.csv or -negbio.csv (plain or .gz)')
        .option('--file <file>', 'the same as --labels')
        .option('--split <file>', 'mimic-cxr-2.0.0-split.csv (plain or .gz)')
        .option(
          '--images <dir>',
          'a folder holding files/pXX/pSUBJECT/sSTUDY/DICOM_ID.jpg (repeatable)',
          collect,
        )
        .option('--name <name>', 'dataset name', 'MIMIC-CXR')
        .option('--skip-bad-rows', 'import the good rows and list the malformed ones'),
    )
    .action(registry.lazy(() => import('./import-mimic.ts'), 'importMimicCommand'))

  registry
    .global(
      registry.import
        .command('padchest')
        .description(
          'import PadChest: list-string labels per film; the physician and RNN labels also as readers',
        )
        .requiredOption(
          '--file <file>',
          "PadChest's CSV (plain or .gz; repeatable: one dataset)",
          collect,
        )
        .option('--images <dir>', 'a folder of the PNGs, scanned recursively (repeatable)', collect)
        .option('--name <name>', 'dataset name', 'PadChest')
        .option(
          '--reader-prefix <prefix>',
          'readers are <prefix>:<MethodLabel> (default: the name)',
        )
        .option('--skip-bad-rows', 'import the good rows and list the malformed ones'),
    )
    .action(registry.lazy(() => import('./import-padchest.ts'), 'importPadchestCommand'))

  registry
    .global(
      registry.import
        .command('vindr')
        .description(
          "import VinDr-CXR: each radiologist's boxes or 0/1 labels as a reader; the majority as labels",
        )
        .requiredOption(
          '--file <file>',
          'annotations_train.csv (one row per box per radiologist) or image_labels_train.csv',
        )
        .option(
          '--images <dir>',
          'a folder of <image_id>.dicom, scanned recursively (repeatable)',
          collect,
        )
        .option('--name <name>', 'dataset name', 'VinDr-CXR')
        .option('--reader-prefix <prefix>', 'readers are <prefix>:<rad_id> (default: the name)')
        .option('--skip-bad-rows', 'import the good rows and list the malformed ones'),
    )
    .action(registry.lazy(() => import('./import-vindr.ts'), 'importVindrCommand'))

  registry
    .global(
      registry.import
        .command('table')
        .description('import any wide CSV of labels (one row per image) for a folder of images')
        .requiredOption('--file <file>', 'the CSV (plain or .gz)')
        .requiredOption('--id-column <column>', 'the column naming each image (its file name)')
        .option('--patient-column <column>', 'the patient id column (default: each image its own)')
        .option('--view-column <column>', 'the view column (PA, AP, LATERAL, ...)')
        .option('--study-column <column>', 'the study id column')
        .option('--split-column <column>', 'the split column (train, test, ...)')
        .option('--sex-column <column>', 'the sex column')
        .option('--age-column <column>', 'the age column (years)')
        .option(
          '--map <column=finding>',
          "a label column and its finding (repeatable; 'Abnormal=not:Normal' negates); default every column of labels",
          collect,
        )
        .option(
          '--value <text=meaning>',
          "what a cell means: present, absent, uncertain or blank, e.g. 'Y=present' (repeatable)",
          collect,
        )
        .option('--images <dir>', 'an image folder, scanned recursively (repeatable)', collect)
        .option('--name <name>', "dataset name (default: the file's name)")
        .option('--skip-bad-rows', 'import the good rows and list the malformed ones'),
    )
    .action(registry.lazy(() => import('./import-table.ts'), 'importTableCommand'))

  const findings = registry.program
    .command('findings')
    .description('findings across datasets: which are the same observation')
  registry
    .global(
      findings
        .command('same [a] [b]')
        .description(
          "declare two datasets' findings the same, e.g. 'CheXpert:Pleural Effusion' 'ChestX-ray14:Effusion'; without arguments list every pair",
        ),
    )
    .action(registry.lazy(() => import('./findings-same.ts'), 'findingsSameCommand'))
}
