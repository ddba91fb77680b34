// Part of `npm run lint`: the import graph of lib/ must stay a DAG, between files and between areas
// (lib/<area>/…: one concept each), counting type-only imports too, since a type cycle is a
// concept cycle. It also keeps lib/ free of the local tooling, the tests and API Gateway types
// (only lib/http/ adapts events). Plain Node, no dependencies: prints each violation, exits 1.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const lib = path.join(root, "lib");

function filesUnder(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(full) : e.name.endsWith(".ts") ? [full] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s(?:[^'"`;]*?\sfrom\s*)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** The project file an import specifier names, or a marker for what lives outside lib/. */
function resolve(from, spec) {
  let target;
  if (spec.startsWith("#lib/")) target = path.join(lib, `${spec.slice(5)}.ts`);
  else if (spec.startsWith("#")) return { outside: spec };
  else if (spec.startsWith(".")) {
    target = path.resolve(path.dirname(from), spec);
    if (!target.endsWith(".ts")) target = fs.existsSync(`${target}.ts`) ? `${target}.ts` : path.join(target, "index.ts");
  } else return { external: spec };
  return target.startsWith(lib + path.sep) ? { file: target } : { outside: path.relative(root, target) };
}

const areaOf = (file) => path.relative(lib, file).split(path.sep)[0].replace(/\.ts$/, "");
const rel = (file) => path.relative(root, file);

const problems = [];
const edges = new Map(); // file -> Set(file)
const areaEdges = new Map(); // area -> Map(area -> example "a.ts imports b.ts")
for (const file of filesUnder(lib)) {
  const text = fs.readFileSync(file, "utf8");
  const targets = new Set();
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    const r = resolve(file, spec);
    if (r.outside) problems.push(`${rel(file)} imports ${r.outside}: lib/ holds only code that runs in a Lambda`);
    if (r.external === "aws-lambda" && areaOf(file) !== "http") problems.push(`${rel(file)} imports API Gateway/Lambda types: only lib/http/ adapts events`);
    if (!r.file) continue;
    targets.add(r.file);
    const [a, b] = [areaOf(file), areaOf(r.file)];
    if (a !== b) {
      if (!areaEdges.has(a)) areaEdges.set(a, new Map());
      if (!areaEdges.get(a).has(b)) areaEdges.get(a).set(b, `${rel(file)} → ${rel(r.file)}`);
    }
  }
  edges.set(file, targets);
}

/** Strongly connected components with more than one node (Tarjan): each is a cycle. */
function cycles(graph) {
  let index = 0;
  const stack = [];
  const info = new Map();
  const found = [];
  const visit = (v) => {
    info.set(v, { index, low: index, onStack: true });
    index++;
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!info.has(w)) {
        visit(w);
        info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
      } else if (info.get(w).onStack) info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
    }
    if (info.get(v).low === info.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        info.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component);
    }
  };
  for (const v of graph.keys()) if (!info.has(v)) visit(v);
  return found;
}

for (const component of cycles(edges)) problems.push(`import cycle between files: ${component.map(rel).sort().join(", ")}`);
const areaGraph = new Map([...areaEdges].map(([a, targets]) => [a, new Set(targets.keys())]));
for (const component of cycles(areaGraph)) {
  const inside = new Set(component);
  const via = component.flatMap((a) => [...(areaEdges.get(a) ?? [])].filter(([b]) => inside.has(b)).map(([, example]) => example));
  problems.push(`import cycle between areas ${component.sort().join(" ↔ ")}:\n    ${via.join("\n    ")}`);
}

if (problems.length > 0) {
  console.error(`check-imports: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join("\n")}`);
  process.exit(1);
}
