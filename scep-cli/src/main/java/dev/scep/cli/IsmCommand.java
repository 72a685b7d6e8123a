package dev.scep.cli;

import dev.scep.cli.OptionRules.Output;
import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.io.OutputFile;
import dev.scep.formats.text.FastaReader;
import dev.scep.formats.text.HalfLifeTable;
import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.annotation.Strand;
import dev.scep.formats.genome.WindowHeader;
import dev.scep.runtime.HalfLifeSource;
import dev.scep.runtime.Ism;
import dev.scep.runtime.IsmPlot;
import dev.scep.runtime.IsmResult;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "ism", description = {
        "In-silico mutagenesis: every substitution at every position of each window, the change of every output",
        "(mutant - reference, log10 expression, z-score undone). Exact, computed incrementally from cached activations.",
        "Writes id, position (0-based), offset (position - upstream), ref, alt, one column per output (--per-position:",
        "id, position, offset, ref and per output the strongest change at the position)."})
final class IsmCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M.scep", description = "Model file.")
    Path model;

    @Option(names = "--windows", required = true, paramLabel = "W.fa", description = "Windows (from 'scep prepare --windows-out' or cut by hand).")
    Path windows;

    @ArgGroup(exclusive = true, multiplicity = "1")
    PredictCommand.HalfLifeChoice halfLife;

    @Option(names = "--id", paramLabel = "ID", description = "Only these windows (repeatable).")
    List<String> ids = new ArrayList<>();

    @Output
    @Option(names = "--out", required = true, paramLabel = "ism.tsv", description = "Output table (written atomically).")
    Path out;

    @OptionRules.Output(prefix = true)
    @Option(names = "--bedgraph", paramLabel = "PREFIX", description = {"Also write PREFIX.<id>.bedgraph: the strongest change per position",
            "of --plot-output's first output in genomic coordinates (needs tss=contig:pos:strand in the FASTA header, as prepare writes)."})
    String bedGraph;

    @Option(names = "--index", description = "Write each bedGraph bgzipped (PREFIX.<id>.bedgraph.gz) with a tabix index beside it.")
    boolean index;

    @Option(names = "--bedgraph-track-line", description = "Start each bedGraph with a track line (for genome browser uploads;"
            + " bedGraphToBigWig takes the file without one).")
    boolean trackLine;

    @OptionRules.Output(prefix = true)
    @Option(names = "--plot", paramLabel = "PREFIX", description = "Also write PREFIX.<id>.png: the strongest change per position.")
    String plot;

    @Option(names = "--plot-output", split = ",", paramLabel = "O1[,O2]", description = "Outputs for --plot/--bedgraph (default: the first).")
    List<String> plotOutputs = new ArrayList<>();

    @Option(names = "--per-position", description = "Write the strongest change per position and output instead of every substitution.")
    boolean perPosition;

    @Option(names = "--naive", description = "One full forward pass per mutant instead (slow; for checking).")
    boolean naive;

    @Mixin
    EngineOptions engine;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        dev.scep.formats.io.Provenance.model(model);
        ScepModel m = ScepModelFile.read(model);
        HalfLifeSource source = halfLife.zeros ? HalfLifeSource.zeros(m) : HalfLifeSource.table(HalfLifeTable.read(halfLife.table), m);
        int[] outs = plotOutputs.isEmpty() ? new int[]{0} : plotOutputs.stream().mapToInt(n -> {
            int i = m.outputNames().indexOf(n);
            if (i < 0) {
                throw new IllegalArgumentException("output '" + n + "' is not in the model (outputs: " + m.outputNames() + ")");
            }
            return i;
        }).toArray();
        var err = spec.commandLine().getErr();
        int done = 0;
        long t0 = System.nanoTime();
        Path[] inputs = {model, windows, halfLife.table};
        String engineName;
        Progress progress = new Progress(err, "ism: windows");
        try (Ism ism = naive ? Ism.naive(m, engine.toOptions()) : Ism.open(m, engine.toOptions());
             FastaReader reader = new FastaReader(windows);
             OutputFile file = OutputFile.createTable(out, inputs)) {
            engineName = ism.engineName();
            for (FastaReader.Record rec; (rec = reader.next()) != null; ) {
                long line = rec.line();
                String id = rec.id();
                if (!ids.isEmpty() && !ids.contains(rec.id())) {
                    continue;
                }
                String problem = dev.scep.formats.text.TsvField.problem("window id", rec.id());
                if (problem != null) {
                    throw new InputFormatException(windows, rec.line(), problem);
                }
                if (rec.sequence().length != m.windowLength()) {
                    throw new InputFormatException(windows, rec.line(), "window '" + rec.id() + "' has " + rec.sequence().length
                            + " bases, the model needs " + m.windowLength());
                }
                IsmResult r;
                try {
                    var hl = source.forId(rec.id(), windows + ":" + rec.line());
                    r = ism.run(rec.sequence(), hl);
                } catch (IllegalArgumentException e) { // InvalidSequenceException included
                    throw new InputFormatException(windows, rec.line(), "window '" + rec.id() + "': " + e.getMessage());
                }
                if (perPosition) {
                    r.writePerPositionTsv(file.writer(), rec.id(), done == 0);
                } else {
                    r.writeTsv(file.writer(), rec.id(), done == 0);
                }
                if (plot != null) {
                    IsmPlot.write(r, outs, "scep ISM " + rec.id(), Path.of(plot + "." + rec.id() + ".png"), inputs);
                }
                if (bedGraph != null) {
                    WindowHeader.Location at = WindowHeader.location(rec.description()).orElseThrow(() ->
                            new InputFormatException(windows, line, "--bedgraph needs 'tss=contig:position:strand' in the"
                                    + " header of window '" + id + "' (scep prepare --windows-out writes it)"));
                    Path bg = Path.of(bedGraph + "." + rec.id() + ".bedgraph" + (index ? ".gz" : ""));
                    r.writeBedGraph(bg, outs[0], at.contig(), at.tss(), at.strand() == Strand.PLUS, trackLine, inputs);
                    if (index) {
                        dev.scep.formats.io.TabixIndexer.index(bg, dev.scep.formats.io.TabixIndexer.BEDGRAPH);
                    }
                }
                done++;
                progress.update(done, ids.isEmpty() ? -1 : ids.size());
            }
            progress.finish();
            if (done == 0) {
                throw new IllegalArgumentException("no window of " + windows + (ids.isEmpty() ? "" : " has the id(s) " + ids));
            }
            file.commit();
        }
        err.printf("scep ism: %,d window(s), %s, %.1f ms per window -> %s%n", done, engineName,
                (System.nanoTime() - t0) / 1e6 / done, out);
        return 0;
    }
}
