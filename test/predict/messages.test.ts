// The sentences of src/predict/messages.ts (their TSDoc examples).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { levelMessage, missingPredictorMessage, newLevelsMessage, noPoolingMessage, nsimMessage, poolingModelMessage } from "../../src/predict/messages.js";

describe("predict messages", () => {
  it("say what happened in one sentence, singular or plural", () => {
    assert.equal(missingPredictorMessage(2, 5), "2 rows of the new data (first row 5) have a missing predictor, so their predictions are NaN.");
    assert.equal(missingPredictorMessage(1, 3), "1 row of the new data (first row 3) has a missing predictor, so its prediction is NaN.");
    assert.equal(
      newLevelsMessage("Subject", 2),
      "2 rows of the new data have a level of Subject that the fit did not see; they are predicted with a random effect of zero for Subject (lme4's allow.new.levels = TRUE).",
    );
    assert.equal(levelMessage(95), "The interval level must be between 0 and 1 (e.g. 0.95), not 95.");
    assert.equal(
      poolingModelMessage("it has 2 grouping factors (plate, sample)"),
      "Pooling compares estimates for one grouping factor of a linear mixed model such as y ~ x + (x | g), but it has 2 grouping factors (plate, sample).",
    );
    assert.equal(
      noPoolingMessage(["a", "b"], 2),
      "Groups a, b have too few observations (or too little variation in the predictors) for their own regression on 2 coefficients, so their no-pooling estimates are null.",
    );
    assert.match(noPoolingMessage(Array.from({ length: 12 }, (_, i) => `g${i}`), 1), /^Groups g0, .*, g9 and 2 more have .* on 1 coefficient, /);
    assert.equal(nsimMessage(0), "The number of simulations must be a whole number of at least 1, not 0.");
  });
});
