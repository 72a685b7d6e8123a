package dev.scep.runtime.variants;

import dev.scep.formats.Memory;
import dev.scep.formats.annotation.GeneSelection;
import dev.scep.formats.fuzz.FuzzInput;
import dev.scep.formats.fuzz.ReaderFuzzTest;
import dev.scep.formats.genome.WindowGeometry;
import dev.scep.formats.model.Activation;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.FlattenOrder;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.Layer;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ParameterInit;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.formats.text.InputFormatException;
import dev.scep.runtime.personal.PersonalGenomes;
import htsjdk.samtools.util.BlockCompressedOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The VCF path of {@code score-variants} and {@code personal} on arbitrary bytes, against one small gene panel (two
 * contigs, five genes on both strands, one near a contig's end) and a small model of the scEP family: both jobs write
 * their table, or fail with {@link InputFormatException} naming the VCF (or refuse to allocate what the heap cannot
 * hold). Input: {@code [mode] vcf} ({@link FuzzInput}); mode bit 0 bgzips the VCF, bit 1 runs personal in dosage
 * mode. Seeds: hand-made VCFs of every allele kind (SNV, MNP, indels across a window's edge, N, symbolic,
 * multi-allelic, phased genotypes) and the shared 1000 Genomes VCF's header, samples and genotypes moved onto the
 * panel's genome.
 */
class VcfFuzzTest {
    private static final Path DIR = FuzzInput.scratch("vcf");
    private static final ScepModel MODEL = model();
    private static final GenePanel PANEL = panel();

    private static ScepModel model() {
        Architecture arch = new Architecture(List.of(
                new Layer.Conv1d("conv1", 4, 8, 6, 2, 2, Activation.RELU), new Layer.MaxPool1d("pool1", 5, 5, 1, 1),
                new Layer.Conv1d("conv2", 8, 4, 3, 1, 1, Activation.RELU), new Layer.MaxPool1d("pool2", 4, 4, 0, 0),
                new Layer.Flatten("flatten", FlattenOrder.CHANNEL_MAJOR), new Layer.ConcatHalfLife("halflife", 5),
                new Layer.Dense("dense1", 4 * 5 + 5, 6, Activation.RELU), new Layer.Dense("dense2", 6, 2, Activation.NONE)));
        return new ScepModel(arch, new SequenceEncoding("ACTG", dev.scep.formats.model.AmbiguityRule.FRACTIONAL, 60, 40),
                List.of(new OutputSpec("a", 0.5, 2), new OutputSpec("b", 0, 1)),
                IntStream.range(0, 5).mapToObj(i -> HalfLifeFeature.raw("hl" + i)).toList(), Map.of(),
                List.of(ParameterInit.pytorchDefault(arch, 7)));
    }

    private static GenePanel panel() {
        try {
            for (String f : List.of("panel.fa", "panel.gtf")) {
                try (InputStream in = VcfFuzzTest.class.getResourceAsStream(f)) {
                    Files.copy(in, DIR.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return GenePanel.load(DIR.resolve("panel.fa"), DIR.resolve("panel.gtf"), new WindowGeometry(60, 40),
                    GeneSelection.Options.DEFAULTS.withKeepNoncoding(true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ReaderFuzzTest
    void scoreAndPersonal(byte[] data) throws IOException {
        FuzzInput in = FuzzInput.of(data);
        int mode = in.mode(4);
        byte[] vcf = in.rest();
        Path file = DIR.resolve((mode & 1) == 1 ? "in.vcf.gz" : "in.vcf");
        Files.deleteIfExists(DIR.resolve("in.vcf"));
        Files.deleteIfExists(DIR.resolve("in.vcf.gz"));
        if ((mode & 1) == 1) {
            try (OutputStream out = new BlockCompressedOutputStream(file.toFile())) {
                out.write(vcf);
            }
        } else {
            Files.write(file, vcf);
        }
        try (VariantScoring scoring = VariantScoring.open(MODEL, PANEL,
                new VariantScoring.Options(1, VariantScorer.HalfLife.ANNOTATION))) {
            scoring.scoreVcf(file, DIR.resolve("scores.tsv"), (records, alleles) -> { });
        } catch (InputFormatException | Memory.NotEnoughMemoryException expected) {
            // the documented outcome for a VCF that cannot be scored
        }
        PersonalGenomes.Options options = new PersonalGenomes.Options(1,
                (mode & 2) == 2 ? PersonalGenomes.Mode.DOSAGE : PersonalGenomes.Mode.PHASED, VariantScorer.HalfLife.ZEROS);
        try {
            PersonalGenomes.run(MODEL, PANEL, file, DIR.resolve("personal.tsv"), options, (done, total) -> { });
        } catch (InputFormatException | Memory.NotEnoughMemoryException expected) {
            // the documented outcome for a VCF that cannot give personal genomes
        }
    }
}
