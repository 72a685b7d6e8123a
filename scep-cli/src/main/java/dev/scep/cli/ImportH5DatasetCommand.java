package dev.scep.cli;

import dev.scep.cli.OptionRules.Output;
import dev.scep.cli.OptionRules.Range;
import dev.scep.formats.scep.OriginalScepDataset;
import dev.scep.train.prepare.H5DatasetImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "import-h5-dataset", description = {
        "Convert the original scEP pipeline's dataset (*_seq_hl.h5: promoter, data, geneName) and optionally its label",
        "CSV into D.sced and/or the text forms that 'scep predict' reads. The promoter array is streamed; the",
        "half-life inputs are kept as the original fed them to its network (no transform)."})
final class ImportH5DatasetCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--h5", required = true, paramLabel = "seq_hl.h5", description = "The original's dataset file.")
    Path h5;

    @Option(names = "--labels", paramLabel = "L.csv", description = "The original's label table: gene index, then All and the populations (log10).")
    Path labels;

    @Option(names = "--columns", split = ",", paramLabel = "C1,C2", description = {
            "Label columns to take as populations, counted as the original does: 0 = All (the column after the gene index),",
            "1 = the first population... (default: all)."})
    List<Integer> columns;

    @Output
    @Option(names = "--out", paramLabel = "D.sced", description = "Dataset file (written atomically).")
    Path out;

    @Output
    @Option(names = "--windows-out", paramLabel = "W.fa", description = "Also write the windows as FASTA (record name = geneName).")
    Path windowsOut;

    @Output
    @Option(names = "--halflife-out", paramLabel = "H.tsv", description = "Also write the half-life inputs as TSV (id, hl0..hl4).")
    Path halfLifeOut;

    @Range(min = 0, max = Integer.MAX_VALUE)
    @Option(names = "--tss-index", defaultValue = "" + OriginalScepDataset.ORIGINAL_TSS_INDEX,
            description = "0-based index of the TSS along a promoter row (default: ${DEFAULT-VALUE}).")
    int tssIndex;

    @Mixin
    WindowOptions window;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (out == null && windowsOut == null && halfLifeOut == null) {
            throw new ParameterException(spec.commandLine(), "nothing to write: give --out, --windows-out or --halflife-out");
        }
        if (columns != null && labels == null) {
            throw new ParameterException(spec.commandLine(), "--columns picks label columns: give --labels too");
        }
        PrintWriter err = spec.commandLine().getErr();
        H5DatasetImport.Options options = new H5DatasetImport.Options(h5, labels,
                columns == null ? null : columns.stream().mapToInt(Integer::intValue).toArray(), tssIndex,
                window.geometry(), out, windowsOut, halfLifeOut);
        Progress progress = new Progress(err, "windows");
        H5DatasetImport.Report r = H5DatasetImport.run(options, new H5DatasetImport.Listener() {
            @Override
            public void windows(int done, int total) {
                progress.update(done, total);
            }
        });
        progress.finish();
        PrintWriter o = spec.commandLine().getOut();
        o.printf("%s: %,d genes, %,d half-life inputs as given%s; %,d windows all N%n", h5, r.genes(), r.halfLife(),
                r.populations().isEmpty() ? "" : ", populations " + String.join(", ", r.populations()), r.emptyRows());
        o.printf("wrote %,d genes × %,d nt windows (promoter index %,d ... %,d)%s%s%s%n", r.genes(), window.geometry().length(),
                (long) tssIndex - window.upstream, (long) tssIndex + window.downstream - 1,
                out == null ? "" : " -> " + out + " (fingerprint " + r.fingerprint() + ")",
                windowsOut == null ? "" : " -> " + windowsOut, halfLifeOut == null ? "" : " -> " + halfLifeOut);
        return 0;
    }
}
