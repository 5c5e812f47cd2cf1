import { describe, expect, it } from 'vitest';
import vi from '../src/lib/i18n/vi';
import en from '../src/lib/i18n/en';
import { interpolate } from '../src/lib/i18n/translate';
import { has, i18n, setLang, t } from '../src/lib/i18n/index.svelte';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogue', () => {
  it('has the same keys in Vietnamese and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
  });

  it('has no empty message', () => {
    for (const [k, v] of [...Object.entries(vi), ...Object.entries(en)]) expect(v.trim(), k).not.toBe('');
  });

  it('uses the same placeholders in both languages', () => {
    for (const k of Object.keys(vi) as (keyof typeof vi)[]) expect(placeholders(en[k]), k).toEqual(placeholders(vi[k]));
  });

  it('is Vietnamese by default and switches to English and back, remembering the choice', async () => {
    const store = new Map<string, string>();
    (globalThis as { localStorage?: unknown }).localStorage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    };
    expect(i18n.lang).toBe('vi');
    expect(t('signin.title')).toBe('Đăng nhập');
    const switching = setLang('en');
    expect(t('signin.title')).toBe('Đăng nhập'); // until English is there: never keys, never half a screen
    await switching;
    expect(t('signin.title')).toBe('Sign in');
    expect(store.get('densach.lang')).toBe('en');
    await setLang('vi');
    expect(t('home.hello', { name: 'Lò Văn Tủa' })).toBe('Xin chào, Lò Văn Tủa.');
    expect(store.get('densach.lang')).toBe('vi');
  });

  it('knows which keys exist', () => {
    expect(has('err.network')).toBe(true);
    expect(has('err.teapot')).toBe(false);
  });
});

describe('interpolate', () => {
  it('fills placeholders and writes numbers the Vietnamese way', () => {
    expect(interpolate('Có {n} người ở {place}', { n: 12345, place: 'Sìn Hồ' })).toBe('Có 12.345 người ở Sìn Hồ');
  });

  it('leaves a placeholder without a value visible', () => {
    expect(interpolate('Trang {page}/{pages}', { page: '1' })).toBe('Trang 1/{pages}');
    expect(interpolate('Không đổi')).toBe('Không đổi');
  });
});
