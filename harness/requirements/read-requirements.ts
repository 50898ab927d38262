// Reads the requirement rows of REQUIREMENTS.md. The path is passed in because the catalogue
// lives outside the repository (../shared at CI time).
import { readFileSync } from 'node:fs';

export type Observability = 'Yes' | 'Partly' | 'No' | 'Unstated';

export interface RequirementRow {
  /** Row key, e.g. "DSC-07". */
  key: string;
  /** Key prefix: "DSC", "JWK", "AZ"... */
  area: string;
  /** Heading of the section the row sits in ("1. Discovery"). */
  section: string;
  specRefs: string;
  level: string;
  requirement: string;
  /** The "Black-box? How" column as written. */
  blackBox: string;
  observability: Observability;
}

const ROW = /^\|\s*([A-Z]+)-(\d+)\s*\|/;

export function parseRequirements(markdown: string): RequirementRow[] {
  const rows: RequirementRow[] = [];
  let section = '';
  for (const line of markdown.split(/\r?\n/)) {
    if (line.startsWith('## ')) section = line.slice(3).trim();
    const match = ROW.exec(line);
    if (!match) continue;
    const cells = splitCells(line);
    if (cells.length < 5) throw new Error(`requirements row ${match[1]}-${match[2]} has ${cells.length} columns, expected 5`);
    const [key = '', specRefs = '', level = '', requirement = '', blackBox = ''] = cells;
    rows.push({ key, area: match[1] ?? '', section, specRefs, level, requirement, blackBox, observability: classify(blackBox) });
  }
  return rows;
}

export function readRequirements(path: string): RequirementRow[] {
  return parseRequirements(readFileSync(path, 'utf8'));
}

/**
 * Observable from outside means a direct check ("Yes": 383 rows of the shared catalogue, the
 * denominator the issues state targets against). Heuristic rows ("Partly") are counted apart.
 */
export function isObservable(row: RequirementRow): boolean {
  return row.observability === 'Yes';
}

function classify(blackBox: string): Observability {
  const first = /^(Yes|Partly|No)\b/.exec(blackBox);
  return (first?.[1] as Observability | undefined) ?? 'Unstated';
}

function splitCells(line: string): string[] {
  // Split on unescaped pipes; the outer pipes produce an empty first and last cell.
  const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim().replaceAll('\\|', '|'));
  return cells.slice(1, cells.at(-1) === '' ? -1 : undefined);
}
