// The studio's "Reproduce" code (app/src/reproduce.ts), without a browser: the R call for each
// kind of model (lme4, nlme's gls and lme, glmmTMB) and the mlm command lines. The calls quoted
// are those the fixtures' generators ran (test/fixtures/generate/nlme.R and glmmtmb.R).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mlmCommand, mlmCompareCommand, rCode, rCompareCode, rPackage, splitFormula } from "../../app/src/reproduce.js";
import type { ModelSpec } from "../../app/src/protocol.js";

const spec = (patch: Partial<ModelSpec>): ModelSpec => ({ formula: "", family: "gaussian", link: "default", reml: true, nAGQ: 1, ddf: "satterthwaite", correlation: "", variance: "", ...patch });

describe("studio reproduce", () => {
  it("splits a formula into its fixed part and random terms, with covariance structures", () => {
    assert.deepEqual(splitFormula("Reaction ~ Days + (Days | Subject)"), { fixed: "Reaction ~ Days", random: [{ prefix: "", expr: "Days", bar: "|", group: "Subject" }] });
    assert.deepEqual(splitFormula("y ~ (1 | a/b) + x").fixed, "y ~ x");
    assert.deepEqual(splitFormula("y ~ 1 + (1 | g)").fixed, "y ~ 1");
    assert.deepEqual(splitFormula("y ~ (1 | g)").fixed, "y ~ 1");
    assert.deepEqual(splitFormula("y ~ log(x) + ar1(0 + time | g)"), { fixed: "y ~ log(x)", random: [{ prefix: "ar1", expr: "0 + time", bar: "|", group: "g" }] });
    assert.deepEqual(splitFormula("y ~ x + (x || g)").random[0].bar, "||");
  });

  it("writes nlme's lme and gls with correlation = and weights =", () => {
    const lme = spec({ formula: "Reaction ~ Days + (1 | Subject)", correlation: "corAR1(form = ~ Days | Subject)" });
    assert.equal(rPackage(lme), "nlme");
    assert.match(rCode("sleepstudy.csv", [], lme), /^fit <- lme\(Reaction ~ Days, random = ~ 1 \| Subject, data = d, correlation = corAR1\(form = ~ Days \| Subject\), method = "REML"\)$/m);
    const gls = spec({ formula: "distance ~ age * Sex", reml: false, ddf: "nlme", correlation: "corCompSymm(form = ~ 1 | Subject)", variance: "varIdent(form = ~ 1 | Sex)" });
    assert.match(rCode("Orthodont.csv", [], gls), /^fit <- gls\(distance ~ age \* Sex, data = d, correlation = corCompSymm\(form = ~ 1 \| Subject\), weights = varIdent\(form = ~ 1 \| Sex\), method = "ML"\)$/m);
    assert.equal(mlmCommand("Orthodont.csv", [], gls), `mlm fit Orthodont.csv "distance ~ age * Sex" --ml --correlation "corCompSymm(form = ~ 1 | Subject)" --variance "varIdent(form = ~ 1 | Sex)"`);
    assert.doesNotMatch(rCode("Orthodont.csv", [], gls), /emmeans/);
    const slope = spec({ formula: "y ~ x + (x || g)", variance: "varPower()" });
    assert.match(rCode("d.csv", [], slope), /random = list\(g = pdDiag\(~ x\)\), data = d, weights = varPower\(\)/);
  });

  it("with Satterthwaite's df for a residual structure: --ddf satterthwaite, and emmeans's df in R (approximate for lme)", () => {
    const gls = spec({ formula: "Reaction ~ Days", correlation: "corAR1(form = ~ Days | Subject)", ddf: "satterthwaite" });
    assert.equal(mlmCommand("sleepstudy.csv", [], gls), `mlm fit sleepstudy.csv "Reaction ~ Days" --correlation "corAR1(form = ~ Days | Subject)" --ddf satterthwaite`);
    const code = rCode("sleepstudy.csv", [], gls);
    assert.match(code, /^library\(nlme\)\nlibrary\(emmeans\)\n/);
    assert.match(code, /^rg <- ref_grid\(fit, mode = "satterthwaite"\)$/m);
    assert.match(code, /^sapply\(seq_along\(rg@bhat\), function\(j\) rg@dffun\(replace\(numeric\(length\(rg@bhat\)\), j, 1\), rg@dfargs\)\)/m);
    assert.doesNotMatch(code, /appx-satterthwaite/);
    // emmeans pairs the data's rows with nlme's (sorted by the correlation's groups): sorted first, its df agree with mlm's
    assert.match(code, /^d <- d\[order\(d\[\["Subject"\]\]\), \] {2}# emmeans pairs/m);
    assert.doesNotMatch(rCode("Dialyzer.csv", ["QB"], spec({ formula: "rate ~ pressure * QB", variance: "varPower(form = ~ pressure)", ddf: "satterthwaite" })), /order\(/);
    assert.doesNotMatch(rCode("sleepstudy.csv", [], { ...gls, ddf: "nlme" }), /order\(|emmeans/);
    const lme = spec({ formula: "Reaction ~ Days + (1 | Subject)", correlation: "corAR1(form = ~ Days | Subject)", ddf: "satterthwaite" });
    assert.match(rCode("sleepstudy.csv", [], lme), /appx-satterthwaite/);
    assert.match(mlmCommand("sleepstudy.csv", [], lme), / --ddf satterthwaite$/);
  });

  it("writes glmmTMB for nbinom2, nbinom1, Gamma and covariance structures", () => {
    assert.match(rCode("epil.csv", [], spec({ formula: "y ~ trt + (1 | subject)", family: "nbinom2" })), /^fit <- glmmTMB\(y ~ trt \+ \(1 \| subject\), data = d, family = nbinom2\)$/m);
    assert.match(rCode("epil.csv", [], spec({ formula: "y ~ trt + (1 | subject)", family: "nbinom1" })), /family = nbinom1\)$/m);
    const gamma = spec({ formula: "y ~ x + (1 | g)", family: "Gamma", link: "inverse" });
    assert.match(rCode("gamma_sim.csv", [], gamma), /family = Gamma\(link = "inverse"\)\)$/m);
    assert.match(rCode("gamma_sim.csv", [], { ...gamma, link: "default" }), /family = Gamma\(link = "log"\)\)$/m);
    assert.equal(mlmCommand("gamma_sim.csv", [], gamma), `mlm fit gamma_sim.csv "y ~ x + (1 | g)" --family Gamma --link inverse`);
    const ar1 = spec({ formula: "y ~ x + ar1(0 + time | g)", reml: false });
    assert.match(rCode("repeated_sim.csv", ["time"], ar1), /^fit <- glmmTMB\(y ~ x \+ ar1\(0 \+ time \| g\), data = d, family = gaussian\)$/m);
    assert.match(rCode("repeated_sim.csv", [], { ...ar1, reml: true }), /family = gaussian, REML = TRUE\)$/m);
    assert.match(rCode("repeated_sim.csv", [], spec({ formula: "y ~ x + cs(1 | g)", family: "poisson" })), /family = poisson\)$/m);
    // nAGQ is not written for families fitted by the Laplace approximation only
    assert.equal(mlmCommand("d.csv", [], spec({ formula: "y ~ 1 + (1 | g)", family: "nbinom2", nAGQ: 7 })), `mlm fit d.csv "y ~ 1 + (1 | g)" --family nbinom2`);
  });

  it("compares as nlme's anova with the structured model last on the command line", () => {
    const f = "Reaction ~ Days + (1 | Subject)";
    const specs = [spec({ formula: f, correlation: "corAR1(form = ~ Days | Subject)" }), spec({ formula: f })];
    assert.equal(mlmCompareCommand("sleepstudy.csv", [], specs), `mlm compare sleepstudy.csv "${f}" --correlation "corAR1(form = ~ Days | Subject)"`);
    const code = rCompareCode("sleepstudy.csv", [], specs);
    assert.match(code, /^fit2 <- lme\(Reaction ~ Days, random = ~ 1 \| Subject, data = d, method = "REML"\)$/m);
    assert.match(code, /^anova\(fit1, fit2\)/m);
    const tmb = rCompareCode("epil.csv", [], [spec({ formula: "y ~ 1 + (1 | s)", family: "poisson" }), spec({ formula: "y ~ 1 + (1 | s)", family: "nbinom2" })]);
    assert.match(tmb, /^fit1 <- glmmTMB\(y ~ 1 \+ \(1 \| s\), data = d, family = poisson\)$/m);
  });
});
