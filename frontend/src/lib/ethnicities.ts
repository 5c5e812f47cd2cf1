// Ethnic groups common in the northern mountain provinces, offered as
// suggestions; any other name may be typed. Proper names, the same in every language.
export const ETHNICITIES = [
  'Kinh', 'Thái', 'Mông', 'Dao', 'Hà Nhì', 'Giáy', 'Lự', 'Khơ Mú', 'Mảng', 'Cống', 'La Hủ', 'Si La',
  'Tày', 'Nùng', 'Mường', 'Lào', 'Phù Lá', 'Hoa', 'Kháng', 'Xinh Mun',
] as const;
