/** The {@code scep} command line (picocli): a thin layer over the library's front door. */
module dev.scep.cli {
    requires dev.scep.train;
    requires info.picocli;
    requires org.slf4j;

    opens dev.scep.cli to info.picocli;   // picocli fills the options by reflection
}
