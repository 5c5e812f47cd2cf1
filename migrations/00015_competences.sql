-- Digital-competence frameworks that courses (and lessons) are tagged with:
-- versioned reference data, loaded here so that every database has the same
-- rows. A framework's kind says what a tag counts as in the indicators:
-- 'digital_skills' (Thông tư 02/2025/TT-BGDĐT) makes a course digital-skill
-- training, 'it_application' (Thông tư 03/2014/TT-BTTTT) makes it IT training.
-- A new edition of a framework is a new row (same family, higher edition):
-- tags keep pointing at the competences of the edition they were made with.
--
-- The names follow the circulars' appendices. Quyết định 757/QĐ-BKHCN (2025)
-- is not loaded: its published text is not available to this project yet,
-- and its items must not be invented.
-- +goose Up
CREATE TABLE competence_frameworks (
    id         smallserial PRIMARY KEY,
    code       text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]+$'),
    family     text NOT NULL,
    edition    integer NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('digital_skills', 'it_application')),
    name_vi    text NOT NULL,
    name_en    text NOT NULL,
    issued_by  text NOT NULL,
    issued_on  date NOT NULL,
    UNIQUE (family, edition)
);

CREATE TABLE competence_areas (
    id           smallserial PRIMARY KEY,
    framework_id smallint NOT NULL REFERENCES competence_frameworks (id),
    code         text NOT NULL,
    name_vi      text NOT NULL,
    name_en      text NOT NULL,
    position     smallint NOT NULL,
    UNIQUE (framework_id, code),
    UNIQUE (framework_id, position)
);

CREATE TABLE competences (
    id           serial PRIMARY KEY,
    framework_id smallint NOT NULL REFERENCES competence_frameworks (id),
    area_id      smallint REFERENCES competence_areas (id),
    code         text NOT NULL,
    name_vi      text NOT NULL,
    name_en      text NOT NULL,
    advanced     boolean NOT NULL DEFAULT false,
    position     smallint NOT NULL,
    UNIQUE (framework_id, code),
    UNIQUE (framework_id, position)
);

-- Levels of a framework that has them (TT 02: 4 levels over 8 steps). A tag's
-- level is a step; frameworks without levels (TT 03) have no rows here.
CREATE TABLE competence_levels (
    framework_id smallint NOT NULL REFERENCES competence_frameworks (id),
    step         smallint NOT NULL CHECK (step BETWEEN 1 AND 20),
    level        smallint NOT NULL CHECK (level BETWEEN 1 AND 10),
    code         text NOT NULL,
    name_vi      text NOT NULL,
    name_en      text NOT NULL,
    PRIMARY KEY (framework_id, step),
    UNIQUE (framework_id, code)
);

INSERT INTO competence_frameworks (code, family, edition, kind, name_vi, name_en, issued_by, issued_on) VALUES
 ('tt02-2025', 'tt02', 2025, 'digital_skills',
  'Khung năng lực số cho người học (Thông tư 02/2025/TT-BGDĐT)',
  'Digital competence framework for learners (Circular 02/2025/TT-BGDĐT)',
  'Bộ Giáo dục và Đào tạo', '2025-01-24'),
 ('tt03-2014', 'tt03', 2014, 'it_application',
  'Chuẩn kỹ năng sử dụng công nghệ thông tin (Thông tư 03/2014/TT-BTTTT)',
  'IT skills standard (Circular 03/2014/TT-BTTTT)',
  'Bộ Thông tin và Truyền thông', '2014-03-11');

INSERT INTO competence_areas (framework_id, code, name_vi, name_en, position)
SELECT f.id, a.code, a.name_vi, a.name_en, a.position
FROM competence_frameworks f,
 (VALUES
  ('1', 'Khai thác dữ liệu và thông tin', 'Information and data literacy', 1),
  ('2', 'Giao tiếp và hợp tác trong môi trường số', 'Communication and collaboration', 2),
  ('3', 'Sáng tạo nội dung số', 'Digital content creation', 3),
  ('4', 'An toàn', 'Safety', 4),
  ('5', 'Giải quyết vấn đề', 'Problem solving', 5),
  ('6', 'Ứng dụng trí tuệ nhân tạo', 'Applied artificial intelligence', 6)
 ) AS a (code, name_vi, name_en, position)
WHERE f.code = 'tt02-2025';

INSERT INTO competences (framework_id, area_id, code, name_vi, name_en, position)
SELECT f.id, a.id, c.code, c.name_vi, c.name_en, c.position
FROM competence_frameworks f
JOIN (VALUES
  ('1', '1.1', 'Duyệt, tìm kiếm và lọc dữ liệu, thông tin và nội dung số', 'Browsing, searching and filtering data, information and digital content', 1),
  ('1', '1.2', 'Đánh giá dữ liệu, thông tin và nội dung số', 'Evaluating data, information and digital content', 2),
  ('1', '1.3', 'Quản lý dữ liệu, thông tin và nội dung số', 'Managing data, information and digital content', 3),
  ('2', '2.1', 'Tương tác thông qua công nghệ số', 'Interacting through digital technologies', 4),
  ('2', '2.2', 'Chia sẻ thông qua công nghệ số', 'Sharing through digital technologies', 5),
  ('2', '2.3', 'Sử dụng công nghệ số để thực hiện trách nhiệm công dân', 'Engaging in citizenship through digital technologies', 6),
  ('2', '2.4', 'Hợp tác thông qua công nghệ số', 'Collaborating through digital technologies', 7),
  ('2', '2.5', 'Quy tắc ứng xử trên môi trường số', 'Netiquette', 8),
  ('2', '2.6', 'Quản lý danh tính số', 'Managing digital identity', 9),
  ('3', '3.1', 'Phát triển nội dung số', 'Developing digital content', 10),
  ('3', '3.2', 'Tích hợp và tạo lập lại nội dung số', 'Integrating and re-elaborating digital content', 11),
  ('3', '3.3', 'Thực thi bản quyền và giấy phép', 'Copyright and licences', 12),
  ('3', '3.4', 'Lập trình', 'Programming', 13),
  ('4', '4.1', 'Bảo vệ thiết bị', 'Protecting devices', 14),
  ('4', '4.2', 'Bảo vệ dữ liệu cá nhân và quyền riêng tư', 'Protecting personal data and privacy', 15),
  ('4', '4.3', 'Bảo vệ sức khỏe và an sinh số', 'Protecting health and well-being', 16),
  ('4', '4.4', 'Bảo vệ môi trường', 'Protecting the environment', 17),
  ('5', '5.1', 'Giải quyết các vấn đề kỹ thuật', 'Solving technical problems', 18),
  ('5', '5.2', 'Xác định nhu cầu và giải pháp công nghệ', 'Identifying needs and technological responses', 19),
  ('5', '5.3', 'Sử dụng sáng tạo công nghệ số', 'Creatively using digital technologies', 20),
  ('5', '5.4', 'Xác định những thiếu hụt về năng lực số', 'Identifying digital competence gaps', 21),
  ('6', '6.1', 'Hiểu biết về trí tuệ nhân tạo', 'Understanding artificial intelligence', 22),
  ('6', '6.2', 'Sử dụng trí tuệ nhân tạo', 'Using artificial intelligence', 23),
  ('6', '6.3', 'Đánh giá trí tuệ nhân tạo', 'Evaluating artificial intelligence', 24)
 ) AS c (area, code, name_vi, name_en, position) ON true
JOIN competence_areas a ON a.framework_id = f.id AND a.code = c.area
WHERE f.code = 'tt02-2025';

INSERT INTO competence_levels (framework_id, step, level, code, name_vi, name_en)
SELECT f.id, l.step, l.level, l.code, l.name_vi, l.name_en
FROM competence_frameworks f,
 (VALUES
  (1, 1, 'CB1', 'Cơ bản – bậc 1', 'Basic – step 1'),
  (2, 1, 'CB2', 'Cơ bản – bậc 2', 'Basic – step 2'),
  (3, 2, 'TC1', 'Trung cấp – bậc 3', 'Intermediate – step 3'),
  (4, 2, 'TC2', 'Trung cấp – bậc 4', 'Intermediate – step 4'),
  (5, 3, 'NC1', 'Nâng cao – bậc 5', 'Advanced – step 5'),
  (6, 3, 'NC2', 'Nâng cao – bậc 6', 'Advanced – step 6'),
  (7, 4, 'CS1', 'Chuyên sâu – bậc 7', 'Highly specialised – step 7'),
  (8, 4, 'CS2', 'Chuyên sâu – bậc 8', 'Highly specialised – step 8')
 ) AS l (step, level, code, name_vi, name_en)
WHERE f.code = 'tt02-2025';

INSERT INTO competences (framework_id, code, name_vi, name_en, advanced, position)
SELECT f.id, c.code, c.name_vi, c.name_en, c.advanced, c.position
FROM competence_frameworks f,
 (VALUES
  ('IU01', 'Hiểu biết về công nghệ thông tin cơ bản', 'Understanding basic IT', false, 1),
  ('IU02', 'Sử dụng máy tính cơ bản', 'Basic computer use', false, 2),
  ('IU03', 'Xử lý văn bản cơ bản', 'Basic word processing', false, 3),
  ('IU04', 'Sử dụng bảng tính cơ bản', 'Basic spreadsheets', false, 4),
  ('IU05', 'Sử dụng trình chiếu cơ bản', 'Basic presentations', false, 5),
  ('IU06', 'Sử dụng Internet cơ bản', 'Basic Internet use', false, 6),
  ('IU07', 'Xử lý văn bản nâng cao', 'Advanced word processing', true, 7),
  ('IU08', 'Sử dụng bảng tính nâng cao', 'Advanced spreadsheets', true, 8),
  ('IU09', 'Sử dụng trình chiếu nâng cao', 'Advanced presentations', true, 9),
  ('IU10', 'Sử dụng hệ quản trị cơ sở dữ liệu', 'Using a database management system', true, 10),
  ('IU11', 'Thiết kế đồ họa hai chiều', 'Two-dimensional graphic design', true, 11),
  ('IU12', 'Biên tập ảnh', 'Image editing', true, 12),
  ('IU13', 'Biên tập trang thông tin điện tử', 'Editing web pages', true, 13),
  ('IU14', 'An toàn, bảo mật thông tin', 'Information safety and security', true, 14),
  ('IU15', 'Sử dụng phần mềm kế hoạch dự án', 'Using project planning software', true, 15)
 ) AS c (code, name_vi, name_en, advanced, position)
WHERE f.code = 'tt03-2014';

-- +goose Down
DROP TABLE competence_levels;
DROP TABLE competences;
DROP TABLE competence_areas;
DROP TABLE competence_frameworks;
