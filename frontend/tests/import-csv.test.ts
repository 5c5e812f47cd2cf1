import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES, TEMPLATE_CSV, TEMPLATE_HEADER, errorRowsCsv, headerKey, parseCsv, rowInfo } from '../src/lib/csv';

describe('import template', () => {
  it('is UTF-8 with BOM, semicolons, Vietnamese headings and an example row', () => {
    expect(TEMPLATE_CSV.startsWith('\ufeffHọ và tên;Ngày sinh;')).toBe(true);
    const f = parseCsv(TEMPLATE_CSV);
    expect(f.sep).toBe(';');
    expect(f.header).toEqual(TEMPLATE_HEADER);
    expect(f.records).toHaveLength(1);
    expect(f.records[0].cells[0]).toBe('Nguyễn Thị Ánh');
  });

  it('uses headings the server reads', () => {
    const keys = TEMPLATE_HEADER.map(headerKey);
    expect(keys).toEqual(['ho_va_ten', 'ngay_sinh', 'gioi_tinh', 'dan_toc', 'ma_xa', 'ban_to_dan_pho', 'so_cccd', 'so_dien_thoai', 'email', 'chuc_vu_hoi']);
  });

  it("shows the server's size limit", () => {
    const doc = JSON.parse(readFileSync(new URL('../../api/openapi.json', import.meta.url), 'utf8'));
    const body = doc.paths['/api/v1/people/import'].post.requestBody.content['text/csv'].schema;
    expect(MAX_IMPORT_BYTES).toBe(body.maxLength);
  });
});

describe('error rows', () => {
  const text = '\ufeffSTT,Họ và tên,Ngày sinh,Số điện thoại\r\n1,Lò Văn A,31/02/1990,\r\n\r\n2,"Lò, Văn B",1980,0212\r\n3,"Lò Văn\nC",,\r\n';
  const file = parseCsv(text);

  it('numbers records by the line they start on, as the server does', () => {
    expect(file.sep).toBe(',');
    expect(file.records.map((r) => r.line)).toEqual([2, 4, 5]);
  });

  it.each([
    { row: 2, field: 'birth_date', name: 'Lò Văn A', value: '31/02/1990' },
    { row: 4, field: 'phone', name: 'Lò, Văn B', value: '0212' },
    { row: 4, field: '', name: 'Lò, Văn B', value: '' },
    { row: 9, field: 'phone', name: '', value: '' },
  ])('finds the name and the bad value of line $row', ({ row, field, name, value }) => {
    expect(rowInfo(file, row, field)).toEqual({ name, value });
  });

  it('downloads only the failed rows with their problems', () => {
    const csv = errorRowsCsv(file, [{ row: 4, text: 'Số sai' }, { row: 2, text: 'Ngày không có' }, { row: 4, text: 'Trùng' }], 'Lỗi');
    expect(csv).toBe('\ufeffSTT;Họ và tên;Ngày sinh;Số điện thoại;Lỗi\r\n1;Lò Văn A;31/02/1990;;Ngày không có\r\n2;"Lò, Văn B";1980;0212;Số sai Trùng\r\n');
    expect(parseCsv(csv).records).toHaveLength(2);
  });

  it('neutralises cells a spreadsheet could run as formulas (the import undoes it)', () => {
    const evil = parseCsv('Họ và tên;Số điện thoại;Ghi chú\r\n=1+2;+84912345678;@SUM(A1)\r\n');
    const csv = errorRowsCsv(evil, [{ row: 2, text: 'Sai' }], 'Lỗi');
    expect(csv).toBe("\ufeffHọ và tên;Số điện thoại;Ghi chú;Lỗi\r\n'=1+2;'+84912345678;'@SUM(A1);Sai\r\n");
  });
});
