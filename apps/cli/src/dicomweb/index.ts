import type { Registry } from '../commands/index.ts'

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

/**
 * `import dicom` (docs/datasets.md), `import dicomweb` and `export sr` (docs/pacs.md). The implementations are imported when a
 * command runs, so the other commands do not load the DICOMweb code.
 */
export function registerPacsCommands(registry: Registry): void {
  registry
    .global(
      registry.import
        .command('dicom')
        .description(
          'import a folder of DICOM files: one item per image instance, patient/study/series/view/sex/age from the headers',
        )
        .requiredOption(
          '--images <dir>',
          'a folder of DICOM files, read recursively (repeatable); images are served from it',
          collect,
        )
        .option('--modality <list>', 'modalities to import', 'CR,DX')
        .option('--name <name>', 'dataset name (default "DICOM folder")'),
    )
    .action(
      registry.action(async (ctx, o) => {
        const { importDicomCommand } = await import('./import-dicom.ts')
        return importDicomCommand(ctx, o as never)
      }),
    )

  registry
    .global(
      registry.import
        .command('dicomweb')
        .description(
          'import the chest films of a PACS over DICOMweb (QIDO-RS); pixels are fetched on demand',
        )
        .requiredOption(
          '--url <url>',
          'DICOMweb base URL, e.g. http://pacs:8042/dicom-web (credentials: CXR_AUDIT_DICOMWEB_USER/_PASSWORD or _TOKEN)',
        )
        .option('--study <uid>', 'only this study (repeatable)', collect)
        .option('--since <date>', 'only studies on or after this date (YYYY-MM-DD)')
        .option('--modality <list>', 'modalities to import', 'CR,DX')
        .option('--name <name>', 'dataset name (default dicomweb-HOST)'),
    )
    .action(
      registry.action(async (ctx, o) => {
        const { importDicomwebCommand } = await import('./import-dicomweb.ts')
        return importDicomwebCommand(ctx, o as never)
      }),
    )

  registry
    .global(
      registry.export
        .command('sr')
        .description(
          "write a reader's verdicts as DICOM Comprehensive SR, one per reviewed film, to a folder or a PACS (STOW-RS)",
        )
        .requiredOption('--reader <name>', 'the reader whose verdicts are written')
        .requiredOption('--to <url|dir>', 'a folder, or a DICOMweb URL to store to')
        .option('--audit <id>', "only this audit's verdicts")
        .option('--dataset <name>', 'dataset (needed when there are several)'),
    )
    .action(
      registry.action(async (ctx, o) => {
        const { exportSrCommand } = await import('./export-sr.ts')
        return exportSrCommand(ctx, o as never)
      }),
    )
}
