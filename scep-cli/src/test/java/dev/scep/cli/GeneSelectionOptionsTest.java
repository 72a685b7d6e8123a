package dev.scep.cli;

import dev.scep.formats.annotation.GeneSelection;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands that select genes take their defaults from the library, not from copies of them. */
class GeneSelectionOptionsTest {
    private static final String[] VARIANT_INPUTS = {"--model", "m.scep", "--fasta", "g.fa", "--gtf", "a.gtf", "--vcf", "v.vcf",
            "--out", "o.tsv"};

    /** The command object of {@code scep name args...}, parsed and not run. */
    private static <T> T command(String name, String... args) {
        CommandLine scep = new CommandLine(new ScepCommand());
        String[] line = new String[args.length + 1];
        line[0] = name;
        System.arraycopy(args, 0, line, 1, args.length);
        scep.parseArgs(line);
        return scep.getSubcommands().get(name).getCommand();
    }

    @Test
    void withoutOptionsPrepareScoreVariantsAndPersonalSelectByTheLibraryDefaults() throws IOException {
        PrepareCommand prepare = command("prepare", "--fasta", "g.fa", "--gtf", "a.gtf");
        ScoreVariantsCommand scoreVariants = command("score-variants", VARIANT_INPUTS);
        PersonalCommand personal = command("personal", VARIANT_INPUTS);
        assertThat(prepare.selection.toSelection()).isEqualTo(GeneSelection.Options.DEFAULTS);
        assertThat(scoreVariants.input.selection.toSelection()).isEqualTo(GeneSelection.Options.DEFAULTS);
        assertThat(personal.input.selection.toSelection()).isEqualTo(GeneSelection.Options.DEFAULTS);
    }
}
