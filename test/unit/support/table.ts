import {
  BatchExecuteStatementCommand,
  type BatchExecuteStatementCommandInput,
  BatchGetCommand,
  type BatchGetCommandInput,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
  UpdateCommand,
  type UpdateCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { AwsClientStub } from "aws-sdk-client-mock";
import { conditionFailed } from "#test/unit/support/aws";
import { fromPartiql } from "#test/unit/support/partiql";

// A small in-memory table for the unit tests that play a sequence (or a burst) of conditional
// updates out: it evaluates the module's own UpdateExpression and ConditionExpression, atomically
// per call as DynamoDB does, so a wrong condition in the module shows as a wrong outcome here.
// It knows the subset the modules use (SET with values and if_not_exists, ADD, REMOVE; conditions
// with AND, OR, NOT, parentheses, comparisons, attribute_exists and attribute_not_exists) and
// throws on anything else rather than guessing. BatchGetItem, BatchWriteItem and PartiQL UPDATE
// statements (BatchExecuteStatement, translated into the same expressions by partiql.ts) go
// through it too.

type Item = Record<string, unknown>;
type Key = { PK: string; SK: string };
type Scope = { item: Item | undefined; names: Record<string, string>; values: Record<string, unknown> };

const idOf = (key: Key) => `${key.PK}\u0000${key.SK}`;

function tokenize(expression: string): string[] {
  const tokens = expression.match(/<=|>=|<>|[()=<>,+-]|[#:]?[A-Za-z_][A-Za-z0-9_.]*|\S/g) ?? [];
  const odd = tokens.find((t) => !/^(<=|>=|<>|[()=<>,+-]|[#:]?[A-Za-z_][A-Za-z0-9_.]*)$/.test(t));
  if (odd) throw new Error(`fake table: cannot read "${odd}" in ${expression}`);
  return tokens;
}

const attributeName = (token: string, scope: Scope) => {
  if (token.startsWith("#")) {
    const name = scope.names[token];
    if (name === undefined) throw new Error(`fake table: ${token} has no ExpressionAttributeNames entry`);
    return name;
  }
  if (token.startsWith(":") || !/^[A-Za-z_]/.test(token)) throw new Error(`fake table: ${token} is not an attribute`);
  return token;
};

const operandValue = (token: string, scope: Scope) => {
  if (token.startsWith(":")) {
    if (!(token in scope.values)) throw new Error(`fake table: ${token} has no ExpressionAttributeValues entry`);
    return scope.values[token];
  }
  return scope.item?.[attributeName(token, scope)];
};

function compare(left: unknown, operator: string, right: unknown): boolean {
  // DynamoDB: a comparison with a missing attribute, or of different types, is false.
  if (left === undefined || right === undefined || typeof left !== typeof right) return false;
  const [a, b] = [left as number | string, right as number | string];
  switch (operator) {
    case "=":
      return a === b;
    case "<>":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    default:
      throw new Error(`fake table: unknown comparator ${operator}`);
  }
}

/** Evaluates a ConditionExpression against the item as it is now (undefined: there is none). */
export function conditionHolds(expression: string, scope: Scope): boolean {
  const tokens = tokenize(expression);
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (token === undefined || (expected !== undefined && token !== expected)) throw new Error(`fake table: expected ${expected ?? "more"} in ${expression}`);
    return token;
  };
  const keyword = (word: string) => peek()?.toUpperCase() === word;
  const primary = (): boolean => {
    if (peek() === "(") {
      take("(");
      const value = or();
      take(")");
      return value;
    }
    if (keyword("NOT")) {
      take();
      return !primary();
    }
    const first = take();
    if (first === "attribute_exists" || first === "attribute_not_exists") {
      take("(");
      const name = attributeName(take(), scope);
      take(")");
      const exists = scope.item !== undefined && scope.item[name] !== undefined;
      return first === "attribute_exists" ? exists : !exists;
    }
    const operator = take();
    return compare(operandValue(first, scope), operator, operandValue(take(), scope));
  };
  const and = (): boolean => {
    let value = primary();
    while (keyword("AND")) {
      take();
      value = primary() && value; // both sides are always read, so a malformed right side still throws
    }
    return value;
  };
  const or = (): boolean => {
    let value = and();
    while (keyword("OR")) {
      take();
      value = and() || value;
    }
    return value;
  };
  const value = or();
  if (at !== tokens.length) throw new Error(`fake table: unread "${tokens.slice(at).join(" ")}" in ${expression}`);
  return value;
}

/** Applies an UpdateExpression to a copy of the item (which starts as the key when there is none). */
export function applyUpdate(expression: string, key: Key, scope: Scope): Item {
  const next: Item = { ...(scope.item ?? key) };
  const clauses = expression.split(/\b(SET|ADD|REMOVE)\b/).slice(1);
  if (clauses.length === 0) throw new Error(`fake table: no clause in ${expression}`);
  for (let i = 0; i < clauses.length; i += 2) {
    const [clause, body] = [clauses[i], clauses[i + 1] ?? ""];
    for (const action of body.split(/,(?![^(]*\))/).map((a) => a.trim())) {
      const tokens = tokenize(action);
      const name = attributeName(tokens[0] ?? "", scope);
      if (clause === "REMOVE") {
        if (tokens.length !== 1) throw new Error(`fake table: cannot REMOVE ${action}`);
        delete next[name];
      } else if (clause === "ADD") {
        const amount = operandValue(tokens[1] ?? "", scope);
        if (tokens.length !== 2 || typeof amount !== "number") throw new Error(`fake table: cannot ADD ${action}`);
        next[name] = Number(next[name] ?? 0) + amount;
      } else if (tokens[1] === "=" && tokens.length === 3) {
        next[name] = operandValue(tokens[2] ?? "", scope);
      } else if (tokens[1] === "=" && tokens[2] === "if_not_exists" && tokens.length === 8) {
        const current = scope.item?.[attributeName(tokens[4] ?? "", scope)];
        next[name] = current !== undefined ? current : operandValue(tokens[6] ?? "", scope);
      } else {
        throw new Error(`fake table: cannot SET ${action}`);
      }
    }
  }
  return next;
}

type WriteRequest = NonNullable<BatchWriteCommandInput["RequestItems"]>[string][number];

export interface FakeTable {
  get(key: Key): Item | undefined;
  put(item: Item & Key): void;
  /** Applies a BatchExecuteStatement as the mock does (for a test that wraps it: a lost answer, a resend). */
  statements(input: BatchExecuteStatementCommandInput): Promise<{ Responses: Record<string, unknown>[] }>;
}

export interface FakeTableOptions {
  /** Runs before each item write is applied (a test can hold writes there to choose their order). */
  beforeEach?: () => Promise<unknown>;
  /** Of each BatchWriteItem, the requests to hand back unprocessed instead of applying them. */
  unprocessed?: (requests: WriteRequest[]) => WriteRequest[];
}

/**
 * Answers every UpdateCommand, BatchGetCommand, BatchWriteCommand and BatchExecuteStatementCommand
 * (UPDATE statements) of the mocked client from the in-memory table.
 */
export function fakeTable(ddb: AwsClientStub<DynamoDBDocumentClient>, options: FakeTableOptions = {}): FakeTable {
  const rows = new Map<string, Item>();
  const copy = (item: Item | undefined) => item && { ...item };
  ddb.on(UpdateCommand).callsFake(async (input: UpdateCommandInput) => {
    await options.beforeEach?.();
    const key = input.Key as Key;
    const scope: Scope = { item: rows.get(idOf(key)), names: input.ExpressionAttributeNames ?? {}, values: input.ExpressionAttributeValues ?? {} };
    if (input.ConditionExpression && !conditionHolds(input.ConditionExpression, scope)) {
      const old = input.ReturnValuesOnConditionCheckFailure === "ALL_OLD" && scope.item ? marshall(scope.item) : undefined;
      throw conditionFailed(old);
    }
    const next = applyUpdate(input.UpdateExpression ?? "", key, scope);
    rows.set(idOf(key), next);
    return input.ReturnValues === "ALL_NEW" ? { Attributes: { ...next } } : {};
  });
  ddb.on(BatchGetCommand).callsFake(async (input: BatchGetCommandInput) => {
    const Responses: Record<string, Item[]> = {};
    for (const [table, { Keys = [] }] of Object.entries(input.RequestItems ?? {})) {
      Responses[table] = Keys.flatMap((k): Item[] => {
        const row = copy(rows.get(idOf(k as Key)));
        return row ? [row] : [];
      });
    }
    return { Responses, UnprocessedKeys: {} };
  });
  ddb.on(BatchWriteCommand).callsFake(async (input: BatchWriteCommandInput) => {
    const UnprocessedItems: Record<string, WriteRequest[]> = {};
    for (const [table, requests] of Object.entries(input.RequestItems ?? {})) {
      const left = options.unprocessed?.(requests) ?? [];
      for (const request of requests.filter((r) => !left.includes(r))) {
        await options.beforeEach?.();
        if (request.PutRequest?.Item) rows.set(idOf(request.PutRequest.Item as Key), { ...request.PutRequest.Item });
        else if (request.DeleteRequest?.Key) rows.delete(idOf(request.DeleteRequest.Key as Key));
      }
      if (left.length) UnprocessedItems[table] = left;
    }
    return { UnprocessedItems };
  });
  const statements = async (input: BatchExecuteStatementCommandInput) => {
    const Responses: Record<string, unknown>[] = [];
    for (const { Statement = "", Parameters = [], ReturnValuesOnConditionCheckFailure } of input.Statements ?? []) {
      await options.beforeEach?.();
      const { key, expression, condition, names, values } = fromPartiql(Statement, Parameters);
      const scope: Scope = { item: rows.get(idOf(key)), names, values };
      if (!conditionHolds(condition, scope)) {
        const Item = ReturnValuesOnConditionCheckFailure === "ALL_OLD" ? copy(scope.item) : undefined;
        Responses.push({ Error: { Code: "ConditionalCheckFailed", Message: "The conditional request failed", ...(Item ? { Item } : {}) } });
      } else {
        rows.set(idOf(key), applyUpdate(expression, key, scope));
        Responses.push({ TableName: "unit-table" });
      }
    }
    return { Responses };
  };
  ddb.on(BatchExecuteStatementCommand).callsFake(statements);
  return {
    get: (key) => copy(rows.get(idOf(key))),
    put: (item) => void rows.set(idOf(item), { ...item }),
    statements,
  };
}
