// PartiQL UPDATE statements (the sender's batch claim) in the terms of the fake table: the
// statement's SET and REMOVE clauses become an UpdateExpression, its WHERE a ConditionExpression,
// its `?` parameters, 'literals' and "quoted names" expression values and names, so the fake
// evaluates the statement's own condition.

type Key = { PK: string; SK: string };

/** A PartiQL `UPDATE "t" SET a = ? … REMOVE b WHERE PK = ? AND SK = ? AND …` as an UpdateExpression and a condition. */
export function fromPartiql(statement: string, parameters: unknown[]) {
  const [, target, clauses, where] = /^UPDATE "([^"]+)" (.+?) WHERE (.+)$/s.exec(statement) ?? [];
  if (!target || !clauses || !where) throw new Error(`fake table: cannot read the statement ${statement}`);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  let used = 0;
  const translate = (text: string) =>
    text.replace(/\?|'([^']*)'|"([^"]+)"/g, (all, literal?: string, name?: string) => {
      if (all === "?") {
        if (used >= parameters.length) throw new Error(`fake table: too few parameters for ${statement}`);
        values[`:p${used}`] = parameters[used];
        return `:p${used++}`;
      }
      const id = Object.keys(names).length + Object.keys(values).length;
      if (literal !== undefined) return (values[`:l${id}`] = literal), `:l${id}`;
      return (names[`#n${id}`] = name as string), `#n${id}`;
    });
  const update = translate(clauses);
  const condition = translate(where);
  if (used !== parameters.length) throw new Error(`fake table: ${parameters.length - used} parameter(s) left over in ${statement}`);
  const actions = (clause: string) => [...update.matchAll(new RegExp(`\\b${clause}\\s+(.+?)(?=\\s+(?:SET|REMOVE)\\b|$)`, "gs"))].map((a) => (a[1] ?? "").trim());
  const [sets, removes] = [actions("SET"), actions("REMOVE")];
  const expression = [sets.length ? `SET ${sets.join(", ")}` : "", removes.length ? `REMOVE ${removes.join(", ")}` : ""].filter(Boolean).join(" ");
  const [, pk, sk] = /^PK = (:p\d+) AND SK = (:p\d+)\b/.exec(condition) ?? [];
  if (!pk || !sk) throw new Error(`fake table: the WHERE of ${statement} does not start with the full key`);
  return { key: { PK: values[pk], SK: values[sk] } as Key, expression, condition, names, values };
}
