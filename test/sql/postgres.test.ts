// The PostgreSQL dialect against a real PostgreSQL server: the test starts one (Debian's
// postgresql package) in a temporary folder as an unprivileged user, listening on a Unix socket
// only, loads reference data with \copy, runs the query statisticsSql(plan, "t", "postgres")
// through psql, and checks that the statistics equal DuckDB's within 1e-10 relative (every entry
// of A = [Z X y]'[Z X y] against √(A_ii A_jj)) and that both give the same fit. The server is
// stopped and its folder deleted afterwards. Skipped only when the PostgreSQL binaries are absent.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { duckdbColumns, fileSource, openDuckdb, runStatistics } from "../../src/io/duckdb.js";
import { statisticsPlan } from "../../src/sql/statistics-plan.js";
import { statisticsSql } from "../../src/sql/statistics-sql.js";
import { statisticsFromRows, type LmmStatistics, type StatisticsRow } from "../../src/sql/statistics.js";
import { statisticsCrossProducts } from "../../src/sql/statistics-cross-products.js";
import { fitFromStatistics } from "../../src/sql/fit-from-stats.js";
import { parseFormula } from "../../src/formula/index.js";
import type { CrossProductBlocks } from "../../src/lmm/cross-products.js";
import { fixtures, loadCases } from "../helpers/reference.js";
import { assertSameModel } from "../helpers/same-model.js";

function postgresBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0], "bin") : undefined;
}

const bin = postgresBin();
const isRoot = process.getuid?.() === 0;
const user = "nobody";

/** Run a PostgreSQL program, as `nobody` when we are root (PostgreSQL refuses to run as root). */
function pg(program: string, args: string[], input?: string): string {
  const cmd = isRoot ? "runuser" : join(bin as string, program);
  const argv = isRoot ? ["-u", user, "--", join(bin as string, program), ...args] : args;
  const r = spawnSync(cmd, argv, { encoding: "utf8", input, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${program} ${args.join(" ")} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

const pgCases = ["sleepstudy_reml", "machines_factor_slope", "exam_slope_ml", "hsb82_slope", "pastes_nested", "penicillin_crossed", "sleepstudy_quadratic"];

describe("PostgreSQL computes the same statistics as DuckDB", { skip: bin === undefined ? "PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (apt-get install -y postgresql)" : false }, () => {
  let dir = "";
  const port = String(20000 + Math.floor(Math.random() * 30000));
  const psql = (sql: string): string => pg("psql", ["-h", dir, "-p", port, "-U", "postgres", "-d", "postgres", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-f", "-"], sql);
  const loaded = new Set<string>();

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "mlm-pg-"));
    chmodSync(dir, 0o700);
    if (isRoot) {
      const id = spawnSync("id", ["-u", user], { encoding: "utf8" });
      const gid = spawnSync("id", ["-g", user], { encoding: "utf8" });
      chownSync(dir, Number(id.stdout), Number(gid.stdout));
    }
    pg("initdb", ["-D", join(dir, "data"), "-A", "trust", "-U", "postgres", "--no-sync"]);
    pg("pg_ctl", ["-D", join(dir, "data"), "-l", join(dir, "log"), "-w", "-o", `-k ${dir} -p ${port} -c listen_addresses= -c fsync=off`, "start"]);
  });
  after(() => {
    if (dir === "") return;
    try {
      pg("pg_ctl", ["-D", join(dir, "data"), "-m", "immediate", "-w", "stop"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const c of loadCases().filter((x) => pgCases.includes(x.id))) {
    it(`${c.id}: ${c.formula}`, async (t) => {
      const csv = `${fixtures}data/${c.data}`;
      const table = c.data.replace(/\W/g, "_").toLowerCase();
      const con = await openDuckdb({ threads: 1 });
      let duck: LmmStatistics;
      let plan: ReturnType<typeof statisticsPlan>;
      try {
        const columns = await duckdbColumns(con, fileSource(csv));
        plan = statisticsPlan(parseFormula(c.formula), columns, {});
        duck = (await runStatistics(con, plan, fileSource(csv))).stats;
        if (!loaded.has(table)) {
          const types = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${fileSource(csv)}`)).getRowObjects();
          const pgType = (t: string): string => (t === "DOUBLE" ? "double precision" : t === "BIGINT" ? "bigint" : t === "BOOLEAN" ? "boolean" : "text");
          const cols = types.map((r) => `"${String(r.column_name)}" ${pgType(String(r.column_type))}`).join(", ");
          psql(`CREATE TABLE ${table} (${cols});\n\\copy ${table} FROM '${csv}' WITH (FORMAT csv, HEADER true, NULL 'NA')\n`);
          loaded.add(table);
        }
      } finally {
        con.closeSync();
      }
      const out = psql(statisticsSql(plan, table, "postgres"));
      const rows: StatisticsRow[] = out
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => {
          const f = l.split("\t");
          return {
            block: f[0],
            keys: f.slice(1, 1 + plan.nkeys).map((k) => (k === "" ? null : k)),
            values: f.slice(1 + plan.nkeys).map((v) => (v === "" ? null : Number(v))),
          };
        });
      const pgStats = statisticsFromRows(plan, rows);
      assert.equal(pgStats.n, duck.n);
      assert.equal(pgStats.dropped, duck.dropped);
      const f = parseFormula(c.formula);
      const A = statisticsCrossProducts(pgStats, f).A;
      const A0 = statisticsCrossProducts(duck, f).A;
      t.diagnostic(`largest relative difference of A: ${assertSameA(A, A0, 1e-10).toExponential(1)}`);
      const reml = c.reml !== false;
      assertSameModel(fitFromStatistics(pgStats, { reml }), fitFromStatistics(duck, { reml }), A, A0);
    });
  }
});

/** Every entry of A equal within tol · √(|a_ii a_jj|) (the Cauchy-Schwarz bound of the entry). */
function assertSameA(A: CrossProductBlocks, B: CrossProductBlocks, tol: number): number {
  let worst = 0;
  const ok = (a: number, b: number, s: number, what: string): void => {
    const r = Math.abs(a - b) / (s || 1);
    worst = Math.max(worst, r);
    assert.ok(r <= tol, `${what}: ${a} vs ${b}`);
  };
  assert.equal(A.D, B.D);
  assert.deepEqual(Array.from(A.colPtr), Array.from(B.colPtr));
  assert.deepEqual(Array.from(A.blkRow), Array.from(B.blkRow));
  const D = A.D;
  const d22 = (i: number): number => Math.abs(B.A22[i + i * D]);
  for (let j = 0; j < D; j++) {
    for (let i = j; i < D; i++) {
      const s = Math.sqrt(d22(i) * d22(j));
      ok(A.A22[i + j * D], B.A22[i + j * D], s, `A22[${i},${j}]`);
    }
  }
  const k1 = A.k1;
  for (let g = 0; g < A.nlev1; g++) {
    for (let c = 0; c < k1; c++) {
      const dc = Math.abs(B.A11[g * k1 * k1 + c + c * k1]);
      for (let d = c; d < k1; d++) {
        const m = g * k1 * k1 + d + c * k1;
        ok(A.A11[m], B.A11[m], Math.sqrt(dc * Math.abs(B.A11[g * k1 * k1 + d + d * k1])), `A11 level ${g}`);
      }
      for (let b = A.colPtr[g]; b < A.colPtr[g + 1]; b++) {
        const sz = A.blkSize[b];
        for (let i = 0; i < sz; i++) {
          const m = A.valPtr[b] + i + c * sz;
          ok(A.A21[m], B.A21[m], Math.sqrt(dc * d22(A.blkRow[b] + i)), `A21 level ${g} block ${b}`);
        }
      }
    }
  }
  return worst;
}
