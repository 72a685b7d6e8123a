package dev.scep.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The progress line: a bar with share, count, rate and ETA on a terminal; plain text elsewhere. */
class ProgressTest {
    @Test
    void aTerminalLineHasTheBarTheRateAndTheTimeLeft() {
        Progress p = new Progress(new PrintWriter(new StringWriter()), "windows", true);
        assertThat(p.line(11_200, 20_000, 6.0)).isEqualTo("windows [#############...........]  56% 11,200/20,000 1,867/s ETA 0:05, 0:06 elapsed");
        assertThat(p.line(500, -1, 2.0)).isEqualTo("windows 500 250/s, 0:02 elapsed");
        assertThat(p.line(20_000, 20_000, 10.0)).doesNotContain("ETA");
    }

    @Test
    void offATerminalOneLineAMinuteAndNoBar() {
        StringWriter out = new StringWriter();
        Progress p = new Progress(new PrintWriter(out), "genes", false);
        p.update(10, 100);
        assertThat(out.toString()).isEmpty();                    // not before a minute has passed
        assertThat(p.line(30, 100, 60)).isEqualTo("genes  30% 30/100 1/s ETA 2:20, 1:00 elapsed");
        assertThat(Progress.clock(3725)).isEqualTo("1:02:05");
    }
}
