/**
 * Training the scEP network: dataset preparation (genome + annotation + single-cell or bulk expression), the paper's
 * training recipe on the CPU, cross-validation, evaluation and the ground-truth simulator.
 */
module dev.scep.train {
    requires transitive dev.scep.runtime;
    requires org.slf4j;
    requires java.desktop;          // the analyses' PNG figures (java.awt, headless)

    exports dev.scep.train;
    exports dev.scep.train.analysis;
    exports dev.scep.train.cv;
    exports dev.scep.train.evaluate;
    exports dev.scep.train.prepare;
    exports dev.scep.train.simulate;
}
