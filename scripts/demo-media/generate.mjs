// Generates the demo's materials (cmd/densach/data/demo/): a short PDF
// lesson sheet and a few seconds of WebM video for the demo course, and a
// one-page PDF handout for the demo class's first session, all made by
// Chromium (page.pdf and MediaRecorder on a canvas), small enough to ship.
//   node scripts/demo-media/generate.mjs   (needs playwright-core and /usr/bin/chromium)
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';

const out = new URL(process.env.OUT || '../../cmd/densach/data/demo/', import.meta.url);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--autoplay-policy=no-user-gesture-required'] });
const page = await browser.newPage();
await page.setContent(`<!doctype html><html lang="vi"><meta charset="utf-8">
<style>body{font-family:'DejaVu Sans',sans-serif;margin:2cm;line-height:1.5}h1{font-size:20pt}li{margin:.3em 0}</style>
<h1>Bài 1. Dùng điện thoại thông minh an toàn</h1>
<p>Tài liệu học tập của khoá <b>Kỹ năng số cơ bản cho người dân</b> — Trung tâm học tập cộng đồng phường Tân Phong, tỉnh Lai Châu.</p>
<h2>Em sẽ học được</h2>
<ol><li>Đặt mật khẩu mạnh và khoá màn hình điện thoại.</li>
<li>Nhận biết tin nhắn lừa đảo: không bấm vào đường link lạ, không đọc mã OTP cho ai.</li>
<li>Cài ứng dụng từ kho chính thức (CH Play, App Store).</li>
<li>Dùng VNeID và ứng dụng ngân hàng một cách an toàn.</li></ol>
<h2>Ghi nhớ</h2><p>Không ai từ ngân hàng, công an hay bưu điện hỏi mã OTP của em. Nếu nghi ngờ, hãy hỏi cán bộ trung tâm hoặc người thân.</p>
<p style="color:#666;font-size:9pt">Khung năng lực số: Thông tư 02/2025/TT-BGDĐT — 4.2 Bảo vệ dữ liệu cá nhân và quyền riêng tư.</p></html>`);
writeFileSync(new URL('bai-1-dien-thoai-an-toan.pdf', out), await page.pdf({ format: 'A4' }));

await page.setContent(`<!doctype html><html lang="vi"><meta charset="utf-8">
<style>body{font-family:'DejaVu Sans',sans-serif;margin:2cm;line-height:1.5}h1{font-size:18pt}li{margin:.4em 0}.o{display:inline-block;width:1em;height:1em;border:1px solid #333;margin-right:.5em;vertical-align:-.15em}</style>
<h1>Phiếu bài tập buổi 1: Mật khẩu mạnh và mã OTP</h1>
<p>Lớp <b>Kỹ năng số cơ bản — lớp buổi tối tổ 5</b>, Trung tâm học tập cộng đồng phường Tân Phong. Mang phiếu này và điện thoại của em đến buổi học.</p>
<h2>1. Mật khẩu nào mạnh hơn? Đánh dấu</h2>
<ul style="list-style:none;padding:0"><li><span class="o"></span>123456</li><li><span class="o"></span>ngaysinh1987</li><li><span class="o"></span>Lúa-Ngô-Suối-Mây-29</li></ul>
<h2>2. Tin nhắn nào là lừa đảo?</h2>
<ol><li>«Ngân hàng báo: tài khoản của bạn bị khoá, bấm vào link và nhập mã OTP.»</li>
<li>«Trung tâm nhắc: buổi học tối thứ Tư chuyển sang học trực tuyến.»</li></ol>
<h2>3. Tự làm ở nhà</h2><p>Đặt khoá màn hình cho điện thoại. Ghi lại một câu hỏi để hỏi giáo viên ở buổi sau.</p></html>`);
writeFileSync(new URL('buoi-1-phieu-bai-tap.pdf', out), await page.pdf({ format: 'A4' }));

const b64 = await page.evaluate(async () => {
  const c = document.createElement('canvas');
  c.width = 320; c.height = 180;
  document.body.append(c);
  const g = c.getContext('2d');
  const rec = new MediaRecorder(c.captureStream(15), { mimeType: 'video/webm;codecs=vp8', videoBitsPerSecond: 150000 });
  const parts = [];
  rec.ondataavailable = (e) => parts.push(e.data);
  const done = new Promise((r) => (rec.onstop = r));
  rec.start();
  const t0 = performance.now();
  await new Promise((resolve) => {
    const frame = () => {
      const t = (performance.now() - t0) / 1000;
      g.fillStyle = '#0f5132'; g.fillRect(0, 0, 320, 180);
      g.fillStyle = '#ffc107'; g.beginPath(); g.arc(40 + (t * 80) % 240, 120, 18, 0, 7); g.fill();
      g.fillStyle = '#fff'; g.font = 'bold 20px DejaVu Sans'; g.fillText('Kỹ năng số', 16, 40);
      g.font = '14px DejaVu Sans'; g.fillText('Bài 2: Gọi video cho người thân', 16, 66);
      g.fillText(t.toFixed(1) + ' giây', 240, 170);
      if (t < 4) requestAnimationFrame(frame); else resolve();
    };
    frame();
  });
  rec.stop();
  await done;
  const buf = new Uint8Array(await new Blob(parts, { type: 'video/webm' }).arrayBuffer());
  let s = '';
  for (const x of buf) s += String.fromCharCode(x);
  return btoa(s);
});
writeFileSync(new URL('bai-2-goi-video.webm', out), Buffer.from(b64, 'base64'));
await browser.close();
