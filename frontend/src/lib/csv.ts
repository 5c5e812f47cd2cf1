// The people-import CSV: the template, which form label names each column
// (the server reports errors by column or by API field), and reading back
// the rows of a chosen file so that error rows can show the person's name
// and the bad value, and be downloaded to fix and import again.

import { fold } from './collation';
import type { Key } from './i18n/index.svelte';

/** The server's limit on an import file (domain.MaxImportBytes, the OpenAPI requestBody maxLength). */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/** The template's headings: Vietnamese, as the server reads them. */
export const TEMPLATE_HEADER = ['Họ và tên', 'Ngày sinh', 'Giới tính', 'Dân tộc', 'Mã xã', 'Bản/Tổ dân phố', 'Số CCCD', 'Số điện thoại', 'Email', 'Chức vụ hội'];

/** An example row under the headings (to be replaced by real people). */
export const TEMPLATE_EXAMPLE = ['Nguyễn Thị Ánh', '05/09/1980', 'Nữ', 'Kinh', '12001', 'Tổ 3', '012180012345', '0912345678', 'anh@example.vn', ''];

/** Excel on Vietnamese Windows opens UTF-8 only with a BOM and splits cells at semicolons. */
const BOM = '\ufeff';
const SEP = ';';

/** A template file: BOM, semicolons, the headings and the example row. */
export const TEMPLATE_CSV = BOM + [TEMPLATE_HEADER, TEMPLATE_EXAMPLE].map((r) => r.map(cell).join(SEP)).join('\r\n') + '\r\n';

const FIELD_KEYS: Record<string, Key> = {
  ho_ten: 'person.full_name',
  full_name: 'person.full_name',
  ngay_sinh: 'person.birth',
  birth_date: 'person.birth',
  birth_year: 'person.birth',
  gioi_tinh: 'person.sex',
  sex: 'person.sex',
  dan_toc: 'person.ethnicity',
  ethnicity: 'person.ethnicity',
  ma_xa: 'import.communeCode',
  commune_code: 'import.communeCode',
  commune_id: 'person.commune',
  thon: 'person.village',
  village: 'person.village',
  cccd: 'person.cccd',
  so_dien_thoai: 'person.phone',
  phone: 'person.phone',
  email: 'person.email',
  chuc_vu_hoi: 'person.staff_position',
  staff_position: 'person.staff_position',
};

/** The catalogue key of a column's label, or null for an unknown column ("" means the whole row). */
export function fieldKey(field: string): Key | null {
  if (!field) return 'import.wholeRow';
  return FIELD_KEYS[field.trim().toLowerCase()] ?? null;
}

// Header names the server reads, folded, by the API field they fill (a
// subset of domain/people_import.go's importColumns, enough to find cells).
const COLUMNS: Record<string, string> = {
  ho_ten: 'full_name', ho_va_ten: 'full_name', hoten: 'full_name', full_name: 'full_name', fullname: 'full_name',
  ngay_sinh: 'birth_date', birth_date: 'birth_date', ngay_thang_nam_sinh: 'birth_date', nam_sinh: 'birth_year', birth_year: 'birth_year',
  gioi_tinh: 'sex', sex: 'sex', gender: 'sex', dan_toc: 'ethnicity', ethnicity: 'ethnicity',
  ma_xa: 'commune_code', ma_xa_phuong: 'commune_code', commune_code: 'commune_code',
  thon: 'village', thon_ban: 'village', village: 'village', ban: 'village', to_dan_pho: 'village', ban_to_dan_pho: 'village',
  cccd: 'cccd', so_cccd: 'cccd', cccd_cmnd: 'cccd', so_dien_thoai: 'phone', dien_thoai: 'phone', sdt: 'phone', phone: 'phone',
  email: 'email', e_mail: 'email', chuc_vu_hoi: 'staff_position', chuc_vu: 'staff_position', staff_position: 'staff_position',
};

/** Folds a heading as the server does: "Họ và tên" → "ho_va_ten". */
export function headerKey(h: string): string {
  return fold(h).replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** A parsed CSV file: its header, and each record with the line it starts on (1-based, as the server counts). */
export interface CsvFile {
  header: string[];
  records: { line: number; cells: string[] }[];
  sep: string;
}

/** Reads CSV text as the server does: BOM dropped, the separator guessed from the header line, quoted cells. */
export function parseCsv(text: string): CsvFile {
  if (text.startsWith(BOM)) text = text.slice(1);
  const first = text.split('\n', 1)[0];
  const sep = (first.match(/;/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: { line: number; cells: string[] }[] = [];
  let line = 1;
  let start = 1;
  let cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cur += c;
      }
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      cells.push(cur);
      cur = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cur);
      rows.push({ line: start, cells });
      cells = [];
      cur = '';
      line++;
      start = line;
    } else cur += c;
  }
  if (cur !== '' || cells.length) {
    cells.push(cur);
    rows.push({ line: start, cells });
  }
  const [head, ...records] = rows;
  return { header: head?.cells ?? [], records: records.filter((r) => r.cells.some((x) => x.trim() !== '')), sep };
}

/** One error row as the page shows it: the person's name and the value of the cell at fault. */
export interface RowInfo {
  name: string;
  value: string;
}

/** Finds, for each line the server named, the person's name and the cell of the field at fault. */
export function rowInfo(file: CsvFile, row: number, field: string): RowInfo {
  const rec = file.records.find((r) => r.line === row);
  if (!rec) return { name: '', value: '' };
  const col = (f: string) => file.header.findIndex((h) => COLUMNS[headerKey(h)] === f);
  const at = (i: number) => (i >= 0 ? (rec.cells[i] ?? '').trim() : '');
  const f = field === 'birth_date' && col('birth_date') < 0 ? 'birth_year' : field;
  return { name: at(col('full_name')), value: field ? at(col(f)) : '' };
}

/** Quotes a cell when it holds a separator, a quote or a line break. */
function cell(v: string): string {
  return /[;,"\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
}

/**
 * The rows with errors as a file to fix and import again: BOM, semicolons,
 * the original header plus a last column with the problems. Cells are
 * formula-safe (safeCell); the import undoes the apostrophe it adds.
 */
export function errorRowsCsv(file: CsvFile, errors: readonly { row: number; text: string }[], problemHeading: string): string {
  const byRow = new Map<number, string[]>();
  for (const e of errors) byRow.set(e.row, [...(byRow.get(e.row) ?? []), e.text]);
  const out = [[...file.header, problemHeading]];
  for (const r of file.records) {
    const problems = byRow.get(r.line);
    if (!problems) continue;
    const cells = [...r.cells];
    while (cells.length < file.header.length) cells.push('');
    out.push([...cells, problems.join(' ')]);
  }
  return toCsv(out);
}

/**
 * A cell that a spreadsheet will not run as a formula: text starting with
 * = + - @, a tab or a carriage return gets an apostrophe in front (OWASP's
 * CSV-injection advice), then quoting as usual. Numbers are written as they are.
 */
export function safeCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  return cell(/^[=+\-@\t\r]/.test(v) ? "'" + v : v);
}

/** A file for Excel on Vietnamese Windows: BOM, semicolons, CRLF, every cell formula-safe. */
export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return BOM + rows.map((r) => r.map(safeCell).join(SEP)).join('\r\n') + '\r\n';
}
