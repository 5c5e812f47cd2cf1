package main

import (
	"context"
	"fmt"
	"log/slog"
	"text/tabwriter"
	"time"

	"densach/domain"
	"densach/domain/units"
	"densach/storage/objects"
	"densach/storage/postgres"
	"densach/storage/sheets"
)

// Demo unit codes: Lai Châu and four of its commune-level units, as the
// statistics office codes them since 1 July 2025 (the units themselves come
// from the list shipped with the project, data/lai_chau.csv).
const (
	codeLaiChau  = "12"
	codeTanPhong = "03408"
	codeDoanKet  = "03388"
	codeBinhLu   = "03390"
	codeSinHo    = "03478"
)

const (
	centreTanPhong = "TTHTCĐ phường Tân Phong"
	centreDoanKet  = "TTHTCĐ phường Đoàn Kết"
	centreBinhLu   = "TTHTCĐ xã Bình Lư"
	centreSinHo    = "TTHTCĐ xã Sìn Hồ"
)

// centreOf names each demo commune's centre, where its learners enrol.
var centreOf = map[string]string{codeTanPhong: centreTanPhong, codeDoanKet: centreDoanKet, codeBinhLu: centreBinhLu, codeSinHo: centreSinHo}

// demoData is the demo's centres, branches and people in Lai Châu's real
// units, which seedDemo imports first.
func demoData() postgres.Demo {
	d := postgres.Demo{
		Centres: []postgres.DemoPlace{
			{UnitCode: codeTanPhong, Name: centreTanPhong, Address: "Nhà văn hoá phường Tân Phong"},
			{UnitCode: codeDoanKet, Name: centreDoanKet, Address: "Nhà văn hoá phường Đoàn Kết"},
			{UnitCode: codeBinhLu, Name: centreBinhLu, Address: "UBND xã Bình Lư"},
			{UnitCode: codeSinHo, Name: centreSinHo, Address: "UBND xã Sìn Hồ"},
		},
		Branches: []postgres.DemoPlace{
			{UnitCode: codeTanPhong, Name: "Chi hội Khuyến học phường Tân Phong"},
			{UnitCode: codeDoanKet, Name: "Chi hội Khuyến học phường Đoàn Kết"},
			{UnitCode: codeBinhLu, Name: "Chi hội Khuyến học xã Bình Lư"},
			{UnitCode: codeSinHo, Name: "Chi hội Khuyến học xã Sìn Hồ"},
		},
	}
	for _, a := range demoAccounts {
		d.People = append(d.People, postgres.DemoPerson{
			Person:      domain.Person{FullName: a.name, Phone: a.phone, Sex: a.sex, BirthYear: a.born, Ethnicity: a.ethnicity, StaffPosition: a.staff},
			CommuneCode: a.commune, Password: a.password, Grants: a.grants,
		})
	}
	for i, l := range demoLearners {
		d.People = append(d.People, postgres.DemoPerson{
			Person:      domain.Person{FullName: l.name, Phone: fmt.Sprintf("0389%06d", 100+i), Sex: l.sex, BirthYear: l.born, Ethnicity: l.ethnicity, Village: l.village, StaffPosition: l.staff},
			CommuneCode: l.commune,
			Grants:      []postgres.DemoGrant{{Role: domain.RoleLearner, CentreName: centreOf[l.commune]}},
		})
	}
	return d
}

type demoAccount struct {
	label, name, phone, password, commune, ethnicity string
	sex                                              domain.Sex
	born                                             int
	staff                                            domain.StaffPosition
	grants                                           []postgres.DemoGrant
}

// demoAccounts are the people who sign in to the demo, one per role.
var demoAccounts = []demoAccount{
	{"Quản trị hệ thống", "Nguyễn Minh Quân", "0901000001", "QuanTri@2026", codeTanPhong, "Kinh", domain.SexMale, 1985, "",
		[]postgres.DemoGrant{{Role: domain.RoleAdmin}}},
	{"Cán bộ Hội Khuyến học tỉnh", "Lò Thị Hương", "0901000002", "KhuyenHoc@2026", codeTanPhong, "Thái", domain.SexFemale, 1978, "",
		[]postgres.DemoGrant{{Role: domain.RoleOfficer, UnitCode: codeLaiChau}}},
	{"Cán bộ Hội Khuyến học phường Tân Phong", "Tòng Văn Thắng", "0901000003", "KhuyenHoc@2026", codeTanPhong, "Thái", domain.SexMale, 1970, domain.StaffChair,
		[]postgres.DemoGrant{{Role: domain.RoleOfficer, UnitCode: codeTanPhong}}},
	{"Quản lý TTHTCĐ phường Tân Phong", "Đặng Thị Mai", "0901000004", "QuanLy@2026", codeTanPhong, "Kinh", domain.SexFemale, 1982, domain.StaffViceChair,
		[]postgres.DemoGrant{{Role: domain.RoleManager, CentreName: centreTanPhong}}},
	{"Giáo viên TTHTCĐ phường Tân Phong", "Vàng Văn Dũng", "0901000005", "GiaoVien@2026", codeTanPhong, "Mông", domain.SexMale, 1990, domain.StaffMember,
		[]postgres.DemoGrant{{Role: domain.RoleTeacher, CentreName: centreTanPhong}}},
	{"Học viên phường Tân Phong", "Lù Thị Ánh", "0901000006", "HocVien@2026", codeTanPhong, "Lự", domain.SexFemale, 1975, "",
		[]postgres.DemoGrant{{Role: domain.RoleLearner, CentreName: centreTanPhong}}},
	{"Quản lý và giáo viên TTHTCĐ phường Đoàn Kết", "Trần Văn Đức", "0901000007", "QuanLy@2026", codeDoanKet, "Kinh", domain.SexMale, 1980, domain.StaffMember,
		[]postgres.DemoGrant{{Role: domain.RoleManager, CentreName: centreDoanKet}, {Role: domain.RoleTeacher, CentreName: centreDoanKet}}},
}

type demoLearner struct {
	name, commune, village, ethnicity string
	sex                               domain.Sex
	born                              int
	staff                             domain.StaffPosition
}

var demoLearners = []demoLearner{
	{"Lò Văn Bình", codeTanPhong, "Tổ 1", "Thái", domain.SexMale, 1968, domain.StaffMember},
	{"Tòng Thị Én", codeTanPhong, "Tổ 3", "Thái", domain.SexFemale, 1980, ""},
	{"Giàng A Páo", codeTanPhong, "Bản Cư Nhà La", "Mông", domain.SexMale, 1992, ""},
	{"Nguyễn Thị Lan", codeTanPhong, "Tổ 5", "Kinh", domain.SexFemale, 1965, ""},
	{"Nguyễn Văn An", codeTanPhong, "Tổ 2", "Kinh", domain.SexMale, 1972, ""},
	{"Sùng Thị Dợ", codeDoanKet, "Bản Tả Xin Chải", "Mông", domain.SexFemale, 1995, ""},
	{"Lê Thị Lân", codeDoanKet, "Tổ 4", "Kinh", domain.SexFemale, 1988, domain.StaffMember},
	{"Phạm Văn Đông", codeDoanKet, "Tổ 7", "Kinh", domain.SexMale, 1959, ""},
	{"Tẩn Láo Lở", codeBinhLu, "Bản Nà Luồng", "Dao", domain.SexMale, 1983, domain.StaffChair},
	{"Lý Thị Mẩy", codeBinhLu, "Bản Phiêng Phát", "Dao", domain.SexFemale, 1990, ""},
	{"Lò Văn Ơn", codeBinhLu, "Bản Nà Luồng", "Thái", domain.SexMale, 1976, ""},
	{"Vàng Thị Súa", codeSinHo, "Bản Chang", "Mông", domain.SexFemale, 1998, domain.StaffViceChair},
	{"Chẻo Văn Vinh", codeSinHo, "Bản Sả Dề Phìn", "Dao", domain.SexMale, 1986, ""},
	{"Đỗ Thị Ánh", codeSinHo, "Bản Chang", "Kinh", domain.SexFemale, 1979, ""},
	// Spelled with the old tone placement (Thủy, not Thuỷ): a search typed
	// either way finds her. Appended last, so that the phones numbered by
	// position stay those of earlier seeds.
	{"Lò Thị Thủy", codeTanPhong, "Tổ 6", "Thái", domain.SexFemale, 1987, ""},
}

// seedNow is the demo's clock: the week its classes are planned around,
// what attendance is marked and which session is checked in to. The seed
// tests set it to try the demo at the hours that matter.
var seedNow = time.Now

// seedDemo loads the demo data and prints the demo accounts.
func seedDemo(ctx context.Context, cfg config, log *slog.Logger) error {
	if cfg.Production {
		return fmt.Errorf("seed demo refuses to run with DENSACH_ENV=production")
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := builtinRows()
	if err != nil {
		return err
	}
	res, err := importRows(ctx, &units.Service{Units: postgres.NewUnits(db), Workbook: sheets.FirstSheet}, rows)
	if err != nil {
		return err
	}
	printImport(stdout, res)
	if err := db.SeedDemo(ctx, demoData(), domain.HashPassword); err != nil {
		return err
	}
	var files demoFilesFunc
	var handout func(context.Context, *postgres.DB) (bool, error)
	if store, err := objects.Open(cfg.Objects); err == nil {
		if inside, err := internalStore(cfg, store); err == nil {
			files = demoMaterialsFor(inside)
			handout = func(ctx context.Context, db *postgres.DB) (bool, error) { return seedDemoHandout(ctx, db, inside) }
		}
	}
	if n, err := seedCourses(ctx, db, files); err != nil {
		return err
	} else if n > 0 {
		log.Info("demo courses built", "courses", n)
	}
	if n, err := seedLearning(ctx, db); err != nil {
		return err
	} else if n > 0 {
		log.Info("demo learners enrolled", "learners", n)
	}
	// One clock for the classes, their attendance and the check-in: a
	// session that begins while the seed runs is either held for all three
	// or for none.
	now := seedNow()
	if n, err := seedClasses(ctx, db, now); err != nil {
		return err
	} else if n > 0 {
		log.Info("demo classes scheduled", "sessions", n)
	}
	if n, err := seedAttendance(ctx, db, now); err != nil {
		return err
	} else if n > 0 {
		log.Info("demo attendance marked", "sessions", n)
	}
	if made, err := seedCheckin(ctx, db, now); err != nil {
		return err
	} else if made {
		log.Info("demo check-in made")
	}
	if made, err := seedOnline(ctx, db, now); err != nil {
		return err
	} else if made {
		log.Info("demo online attendance derived")
	}
	if handout != nil {
		// While MinIO does not answer, the seed_demo_materials job stores it.
		if _, err := handout(ctx, db); err != nil && domain.ErrorCode(err) != domain.CodeUnavailable {
			return err
		}
	}
	if err := seedJobs(ctx, cfg, db); err != nil {
		return err
	}
	log.Info("demo data loaded", "people", len(demoAccounts)+len(demoLearners))
	fmt.Fprintln(stdout, "\nĐèn Sách demo accounts (sign in with the phone number):")
	w := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(w, "  ROLE\tNAME\tPHONE\tPASSWORD")
	for _, a := range demoAccounts {
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", a.label, a.name, a.phone, a.password)
	}
	return w.Flush()
}
