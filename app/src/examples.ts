/**
 * The example data sets shipped with the studio (copies of the test fixtures, served as files
 * beside the page): what each is, and a model to start from.
 */
import sleepstudyUrl from "../../test/fixtures/data/sleepstudy.csv?url";
import hsb82Url from "../../test/fixtures/data/Hsb82.csv?url";
import examUrl from "../../test/fixtures/data/Exam.csv?url";
import egsingleUrl from "../../test/fixtures/data/egsingle.csv?url";

export interface Example {
  readonly id: string;
  readonly file: string;
  readonly url: string;
  /** One line on what the data are. */
  readonly about: string;
  /** A model to start from. */
  readonly formula: string;
  readonly factors: readonly string[];
}

export const EXAMPLES: readonly Example[] = [
  {
    id: "sleepstudy",
    file: "sleepstudy.csv",
    url: sleepstudyUrl,
    about: "Reaction times (ms) of 18 subjects over 10 days of sleep deprivation (lme4): repeated measures, 180 rows.",
    formula: "Reaction ~ Days + (Days | Subject)",
    factors: [],
  },
  {
    id: "Hsb82",
    file: "Hsb82.csv",
    url: hsb82Url,
    about: "Maths achievement of 7,185 pupils in 160 US high schools, High School and Beyond 1982 (mlmRev): pupils in schools.",
    formula: "mAch ~ meanses * cses + (cses | school)",
    factors: [],
  },
  {
    id: "Exam",
    file: "Exam.csv",
    url: examUrl,
    about: "Exam scores at 16 of 4,059 pupils in 65 inner-London schools, with a reading test at 11 (mlmRev): pupils in schools.",
    formula: "normexam ~ standLRT + (standLRT | school)",
    factors: [],
  },
  {
    id: "egsingle",
    file: "egsingle.csv",
    url: egsingleUrl,
    about: "Maths scores of 1,721 Chicago children in 60 schools, measured up to six times (mlmRev): years in children in schools.",
    formula: "math ~ year + (year | schoolid/childid)",
    factors: [],
  },
];
