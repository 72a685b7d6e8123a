package dev.scep.train.simulate;

import dev.scep.formats.annotation.GeneSelection;
import dev.scep.formats.genome.WindowGeometry;
import dev.scep.formats.io.ScepDataset;
import dev.scep.train.evaluate.Evaluation;
import dev.scep.train.evaluate.Metrics;
import dev.scep.train.prepare.DatasetPreparation;
import dev.scep.train.prepare.PopulationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SimulatorTest {
    @TempDir
    Path dir;

    @Test
    void aSimulatedTissueGoesThroughPrepareWithItsMotifsWhereTheTruthSaysTheyAre() throws IOException {
        Path jaspar = Path.of(System.getProperty("scep.shared.data", "../shared/data"), "jaspar-pfm");
        assumeTrue(Files.isDirectory(jaspar), "JASPAR motifs not found at " + jaspar);
        Simulator.Summary s = Simulator.run(new Simulator.Options(40, 4, 400, 3, jaspar), dir.resolve("in"));
        assertThat(s.cellsPerPopulation()).hasSize(4);
        assertThat(s.cellsPerPopulation()[0]).isGreaterThan(s.cellsPerPopulation()[3]); // skewed sizes
        DatasetPreparation.Report r = DatasetPreparation.run(new DatasetPreparation.Options(s.fasta(), s.gtf(),
                WindowGeometry.SCEP, GeneSelection.Options.DEFAULTS,
                new DatasetPreparation.Expression(s.matrix(), null, null, s.cells(), null,
                        List.of(PopulationLevel.of("population")), true, false),
                dir.resolve("d.sced"), null, null), new DatasetPreparation.Listener() { });
        assertThat(r.genesWritten()).isEqualTo(40);
        ScepDataset d = ScepDataset.open(dir.resolve("d.sced"));
        Map<String, Integer> row = new HashMap<>();
        for (int i = 0; i < d.geneCount(); i++) {
            row.put(d.genes().get(i).id(), i);
        }
        // every planted copy is in the prepared window at TSS + offset (in transcription orientation, both strands),
        // unless a later copy overwrote part of it
        List<String> planted = Files.readAllLines(dir.resolve("in/motifs.tsv"));
        int found = 0;
        for (String line : planted.subList(1, planted.size())) {
            String[] f = line.split("\t");
            byte[] w = d.window(row.get(f[0]));
            int at = 7000 + Integer.parseInt(f[3]);
            if (new String(w, at, f[5].length(), StandardCharsets.US_ASCII).equals(f[5])) {
                found++;
            }
        }
        assertThat(planted.size() - 1).isGreaterThan(50);
        assertThat(found).isGreaterThan((planted.size() - 1) * 8 / 10);
        assertThat(d.genes().stream().map(ScepDataset.Gene::strand).distinct()).hasSize(2);
        // the observed pseudobulk follows the truth closely in the largest population
        Map<String, Map<String, Double>> truth = Evaluation.readTruth(s.truth());
        int pop1 = d.populations().stream().map(ScepDataset.Population::name).toList().indexOf("population=pop1");
        double[] t = new double[40];
        double[] o = new double[40];
        for (int g = 0; g < 40; g++) {
            t[g] = truth.get(d.genes().get(g).id()).get("population=pop1");
            o[g] = d.target(g, pop1);
        }
        assertThat(Metrics.pearson(t, o)).isGreaterThan(0.8);
        assertThat(Files.readString(dir.resolve("in/effects.tsv"))).contains("(far)", "(close)", "ELK4");
    }
}
