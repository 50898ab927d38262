// Coverage of REQUIREMENTS.md by the registered checks: per area prefix, how many observable
// rows at least one check claims, and which are still open.
import type { CheckDefinition } from '../checks.ts';
import { isObservable, type RequirementRow } from './read-requirements.ts';

export interface AreaCoverage {
  /** Key prefix: "DSC". */
  area: string;
  section: string;
  rows: number;
  observable: number;
  covered: number;
  /** Observable rows no check claims, in catalogue order. */
  uncovered: string[];
  /** covered / observable, 0..100 with one decimal (100 when nothing is observable). */
  percent: number;
  /** Rows observable only by heuristics ("Partly"): how many, how many a check claims, and the rest. */
  partly: number;
  partlyCovered: number;
  partlyUncovered: string[];
}

export interface CoverageReport {
  areas: AreaCoverage[];
  total: { rows: number; observable: number; covered: number; percent: number };
  /** Row key → ids of the checks that claim it (only rows some check claims). */
  checksByRow: Record<string, string[]>;
  /** Claims naming a row the catalogue does not have: a typo or a stale key. */
  unknownRequirements: Array<{ checkId: string; key: string }>;
}

export function computeCoverage(rows: RequirementRow[], checks: CheckDefinition[]): CoverageReport {
  const known = new Set(rows.map((row) => row.key));
  const checksByRow: Record<string, string[]> = {};
  const unknownRequirements: CoverageReport['unknownRequirements'] = [];
  for (const check of checks) {
    for (const key of check.requirements) {
      if (!known.has(key)) unknownRequirements.push({ checkId: check.id, key });
      (checksByRow[key] ??= []).push(check.id);
    }
  }

  const byArea = new Map<string, AreaCoverage>();
  for (const row of rows) {
    let area = byArea.get(row.area);
    if (!area) {
      area = { area: row.area, section: row.section, rows: 0, observable: 0, covered: 0, uncovered: [], percent: 0, partly: 0, partlyCovered: 0, partlyUncovered: [] };
      byArea.set(row.area, area);
    }
    area.rows++;
    if (row.observability === 'Partly') {
      area.partly++;
      if (checksByRow[row.key]) area.partlyCovered++;
      else area.partlyUncovered.push(row.key);
    }
    if (!isObservable(row)) continue;
    area.observable++;
    if (checksByRow[row.key]) area.covered++;
    else area.uncovered.push(row.key);
  }
  const areas = [...byArea.values()].map((a) => ({ ...a, percent: toPercent(a.covered, a.observable) }));
  const observable = sum(areas, 'observable');
  const covered = sum(areas, 'covered');
  return {
    areas,
    total: { rows: rows.length, observable, covered, percent: toPercent(covered, observable) },
    checksByRow,
    unknownRequirements,
  };
}

function toPercent(part: number, whole: number): number {
  return whole === 0 ? 100 : Math.round((part / whole) * 1000) / 10;
}

function sum(areas: AreaCoverage[], field: 'observable' | 'covered'): number {
  return areas.reduce((total, area) => total + area[field], 0);
}
