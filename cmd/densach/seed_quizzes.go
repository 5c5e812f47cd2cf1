package main

import (
	"context"
	"fmt"

	"densach/domain"
	"densach/domain/courses"
	"densach/domain/quizzes"
)

// demoQuiz is the quiz lesson of a demo course: its rules and the
// questions of the course's bank.
type demoQuiz struct {
	lesson    string // the quiz lesson's title (added to the last module when missing)
	settings  quizzes.Settings
	questions []quizzes.QuestionInput
}

func yes() *bool             { b := true; return &b }
func no() *bool              { b := false; return &b }
func num(f float64) *float64 { return &f }

// demoQuizzes are the demo courses' quizzes, by course title.
var demoQuizzes = map[string]demoQuiz{
	"Kỹ năng số cơ bản cho người dân": {lesson: "Kiểm tra cuối khóa",
		settings: quizzes.Settings{PassPercent: 70, AttemptLimit: 3, ShuffleQuestions: true, ShuffleOptions: true},
		questions: []quizzes.QuestionInput{
			{Kind: quizzes.KindSingle, PromptMD: "Có người gọi điện xưng là công an, yêu cầu bạn **đọc mã OTP** vừa nhận được. Bạn nên làm gì?",
				Options: []string{"Đọc mã OTP để hợp tác với công an", "Từ chối, cúp máy và báo cho người thân hoặc công an xã", "Gửi mã OTP qua Zalo cho họ", "Làm theo để tránh bị phạt"},
				Correct: []int{1}, ExplanationMD: "Công an và ngân hàng không bao giờ hỏi mã OTP. Ai hỏi mã OTP là kẻ lừa đảo."},
			{Kind: quizzes.KindTrueFalse, PromptMD: "Nên sạc pin khi điện thoại còn dưới 20%.", AnswerBool: yes(),
				ExplanationMD: "Sạc khi pin còn dưới 20% giúp máy không tắt đột ngột."},
			{Kind: quizzes.KindMultiple, PromptMD: "Những dấu hiệu nào cho thấy một tin nhắn **có thể là lừa đảo**? (chọn tất cả ý đúng)",
				Options: []string{"Báo trúng thưởng lớn dù bạn không tham gia chương trình nào", "Có đường dẫn lạ, giục bấm vào ngay", "Giục chuyển tiền gấp cho người lạ", "Người thân nhắn hẹn giờ ăn cơm"},
				Correct: []int{0, 1, 2}, ExplanationMD: "Trúng thưởng bất ngờ, đường dẫn lạ và giục chuyển tiền là ba dấu hiệu thường gặp."},
			{Kind: quizzes.KindTrueFalse, PromptMD: "Cổng Dịch vụ công quốc gia có địa chỉ **dichvucong.gov.vn**.", AnswerBool: yes()},
			{Kind: quizzes.KindNumeric, PromptMD: "Để bật điện thoại, cần nhấn giữ nút nguồn khoảng bao nhiêu giây?", AnswerNum: num(3), Tolerance: 1,
				ExplanationMD: "Nhấn giữ khoảng 3 giây, đến khi màn hình sáng."},
		}},
	"Ứng dụng CNTT cho cán bộ Hội": {lesson: "Kiểm tra kiến thức",
		settings: quizzes.Settings{PassPercent: 60, TimeLimitS: 900, ShuffleOptions: true},
		questions: []quizzes.QuestionInput{
			{Kind: quizzes.KindSingle, PromptMD: "Thiết bị nào dưới đây là **thiết bị nhập**?", Options: []string{"Màn hình", "Bàn phím", "Máy in", "Loa"}, Correct: []int{1},
				ExplanationMD: "Bàn phím đưa dữ liệu vào máy tính; màn hình, máy in và loa đưa kết quả ra."},
			{Kind: quizzes.KindTrueFalse, PromptMD: "Một thư mục có thể chứa nhiều tệp và cả các thư mục con.", AnswerBool: yes()},
			{Kind: quizzes.KindSingle, PromptMD: "Tổ hợp phím **Ctrl + S** dùng để làm gì?", Options: []string{"Lưu văn bản", "In văn bản", "Sao chép", "Xóa đoạn đã chọn"}, Correct: []int{0}},
			{Kind: quizzes.KindMultiple, PromptMD: "Một công văn của Hội cần có những thành phần nào? (chọn tất cả ý đúng)",
				Options: []string{"Quốc hiệu và tiêu ngữ", "Số, ký hiệu của văn bản", "Chữ ký của người có thẩm quyền", "Hình nền nhiều màu"}, Correct: []int{0, 1, 2},
				ExplanationMD: "Thể thức văn bản hành chính theo Nghị định 30/2020/NĐ-CP."},
			{Kind: quizzes.KindNumeric, PromptMD: "Theo Nghị định 30/2020/NĐ-CP, lề trái của trang văn bản rộng khoảng bao nhiêu cm?", AnswerNum: num(3.25), Tolerance: 0.25,
				ExplanationMD: "Lề trái rộng từ 30 đến 35 mm."},
		}},
	"Trồng chè an toàn": {lesson: "Kiểm tra cuối khóa",
		settings: quizzes.Settings{PassPercent: 75, AttemptLimit: 2, ShuffleQuestions: true},
		questions: []quizzes.QuestionInput{
			{Kind: quizzes.KindSingle, PromptMD: "Nên bón phân chuồng hoai mục cho chè vào lúc nào?", Options: []string{"Đầu mùa mưa", "Giữa mùa khô", "Ngay trước khi hái", "Lúc nào cũng được"}, Correct: []int{0}},
			{Kind: quizzes.KindTrueFalse, PromptMD: "Được hái chè ngay sau khi phun thuốc bảo vệ thực vật.", AnswerBool: no(),
				ExplanationMD: "Phải chờ hết thời gian cách ly ghi trên bao bì thuốc."},
			{Kind: quizzes.KindMultiple, PromptMD: "Biện pháp nào giúp giảm sâu bệnh mà **ít dùng thuốc hóa học**? (chọn tất cả ý đúng)",
				Options: []string{"Vệ sinh nương chè, cắt bỏ cành bệnh", "Bảo vệ thiên địch như nhện, bọ rùa", "Phun thuốc gấp đôi liều", "Bón phân cân đối"}, Correct: []int{0, 1, 3}},
			{Kind: quizzes.KindNumeric, PromptMD: "Bao bì thuốc ghi thời gian cách ly 7 ngày. Sau khi phun, ít nhất bao nhiêu ngày mới được hái chè?", AnswerNum: num(7)},
		}},
	"Trồng và chăm sóc chè Shan tuyết": {lesson: "Kiểm tra cuối khóa",
		settings: quizzes.Settings{PassPercent: 75, AttemptLimit: 2, ShuffleOptions: true},
		questions: []quizzes.QuestionInput{
			{Kind: quizzes.KindSingle, PromptMD: "Nên trồng chè vào thời gian nào trong năm?", Options: []string{"Đầu mùa mưa", "Giữa mùa khô", "Tháng có sương muối", "Lúc nào cũng được"}, Correct: []int{0}},
			{Kind: quizzes.KindSingle, PromptMD: "Hái chè đúng kỹ thuật là hái thế nào?", Options: []string{"Một tôm hai lá", "Cả cành", "Chỉ lá già", "Tuốt cả lá và hoa"}, Correct: []int{0}},
			{Kind: quizzes.KindTrueFalse, PromptMD: "Đốn phớt chè nên làm khi cây nghỉ sinh trưởng, khoảng tháng 12 đến tháng 1.", AnswerBool: yes()},
			{Kind: quizzes.KindNumeric, PromptMD: "Trồng chè theo hàng cách hàng 1,5 m; hố cách hố bao nhiêu mét?", AnswerNum: num(1), Tolerance: 0.2},
		}},
	"Sử dụng dịch vụ công trực tuyến": {lesson: "Kiểm tra nhanh",
		settings: quizzes.Settings{PassPercent: 70, ShuffleOptions: true},
		questions: []quizzes.QuestionInput{
			{Kind: quizzes.KindSingle, PromptMD: "Ứng dụng nào dùng để đăng nhập Cổng Dịch vụ công bằng tài khoản định danh điện tử?", Options: []string{"VNeID", "Facebook", "YouTube", "Máy tính bỏ túi"}, Correct: []int{0}},
			{Kind: quizzes.KindTrueFalse, PromptMD: "Có thể cho người khác mượn tài khoản định danh điện tử để nộp hồ sơ hộ.", AnswerBool: no(),
				ExplanationMD: "Tài khoản định danh điện tử là của riêng mỗi người; không cho ai mượn."},
			{Kind: quizzes.KindMultiple, PromptMD: "Trên Cổng Dịch vụ công quốc gia, người dân có thể làm gì? (chọn tất cả ý đúng)",
				Options: []string{"Nộp hồ sơ trực tuyến", "Tra cứu tình trạng hồ sơ", "Thanh toán phí, lệ phí", "Mua vé xổ số"}, Correct: []int{0, 1, 2}},
			{Kind: quizzes.KindSingle, PromptMD: "Khi đăng nhập bằng mã QR, bạn quét mã bằng gì?", Options: []string{"Camera trong ứng dụng VNeID", "Máy in", "Tin nhắn SMS", "Loa điện thoại"}, Correct: []int{0}},
		}},
}

// fillDemoQuiz gives the draft of a demo course its quiz: the quiz lesson
// (added to the last module when the draft lacks it), the bank's
// questions (when the bank is empty) and the lesson's rules. The version
// is published afterwards by the caller, which freezes the quiz.
func fillDemoQuiz(ctx context.Context, cs *courses.Service, qs *quizzes.Service, p domain.Principal, courseID int64, dq demoQuiz) error {
	d, err := cs.Get(ctx, p, courseID, courses.VersionDraft)
	if err != nil {
		return err
	}
	if len(d.Modules) == 0 {
		return fmt.Errorf("no module for the quiz")
	}
	var lesson int64
	for _, m := range d.Modules {
		for _, l := range m.Lessons {
			if l.Kind == courses.KindQuiz && l.Title == dq.lesson {
				lesson = l.ID
			}
		}
	}
	if lesson == 0 {
		l, err := cs.AddLesson(ctx, p, d.Modules[len(d.Modules)-1].ID, courses.LessonInput{Kind: courses.KindQuiz, Title: dq.lesson, Required: true, EstimatedMinutes: 15})
		if err != nil {
			return fmt.Errorf("quiz lesson: %w", err)
		}
		lesson = l.ID
	}
	bank, err := qs.Questions(ctx, p, courseID)
	if err != nil {
		return err
	}
	if len(bank) == 0 {
		for _, in := range dq.questions {
			if _, err := qs.AddQuestion(ctx, p, courseID, in); err != nil {
				return fmt.Errorf("question %q: %w", in.PromptMD, err)
			}
		}
	}
	_, err = qs.SaveSettings(ctx, p, lesson, dq.settings)
	return err
}
