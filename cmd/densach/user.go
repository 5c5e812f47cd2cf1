package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"densach/domain"
	"densach/domain/auth"
	"densach/storage/postgres"
)

// maxPasswordLine bounds what is read from standard input; a password line
// longer than this is not a password.
const maxPasswordLine = 4 * domain.MaxPasswordLen

// runUserCreate implements `densach user create`: it makes sure a person
// with the login has an account with the password read from standard input
// (the first line, so that it never shows in the process list or shell
// history) and holds the role. Running it again resets the password and
// signs the account out everywhere; nothing is duplicated. The password is
// one-time: the account must change it at its first sign-in.
func runUserCreate(ctx context.Context, db *postgres.DB, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("densach user create", flag.ContinueOnError)
	fs.SetOutput(stdout)
	login := fs.String("login", "", "phone number, CCCD or e-mail the person signs in with (required)")
	role := fs.String("role", "admin", "role to grant: admin, officer, manager, teacher or learner")
	name := fs.String("name", "", "full name, when the person does not exist yet")
	commune := fs.String("commune-code", "", "code of the commune-level unit a new person lives in (default: the first current one; an administrator created before any unit is loaded lives in none)")
	unit := fs.String("unit-code", "", "officer: code of the province or commune-level unit they work for")
	centre := fs.Int64("centre-id", 0, "manager, teacher, learner: id of the centre")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if *login == "" {
		return errors.New("--login is required (a phone number, CCCD or e-mail)")
	}
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}
	// The command is the operator: it acts as the system, through the same
	// use case (validation, hashing, must-change, audit) as everything else.
	svc := &auth.Service{Store: postgres.NewAuth(db)}
	res, err := svc.BootstrapAccount(ctx, domain.System(), auth.Bootstrap{
		Login: *login, Password: password, FullName: *name, CommuneCode: *commune,
		Role: domain.Role(*role), UnitCode: *unit, CentreID: *centre,
	})
	if err != nil {
		return errors.New(userErrText(err))
	}
	did := func(b bool, yes, no string) string {
		if b {
			return yes
		}
		return no
	}
	fmt.Fprintf(stdout, "person %d (%s), account %d (%s), role %s (%s); sign in with %s %s and choose a new password at the first sign-in\n",
		res.PersonID, did(res.PersonCreated, "created", "existing"),
		res.AccountID, did(res.AccountCreated, "created", "password reset, signed out everywhere"),
		*role, did(res.RoleGranted, "granted", "already held"), res.Login.Kind, res.Login.Value)
	return nil
}

// readPassword reads the first line of r without its line ending.
func readPassword(r io.Reader) (string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 512), maxPasswordLine)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return "", fmt.Errorf("reading the password from standard input: %w", err)
		}
		return "", errors.New("no password on standard input (write it as the first line)")
	}
	p := strings.TrimRight(sc.Text(), "\r")
	if p == "" {
		return "", errors.New("the password on standard input is empty")
	}
	return p, nil
}

// userErrText renders a domain error for the terminal: its message and
// field messages, never the internal cause unless nothing else is known.
func userErrText(err error) string {
	e := domain.AsError(err)
	var parts []string
	for _, f := range e.Fields {
		parts = append(parts, flagOfField(f.Field)+f.Message)
	}
	if len(parts) == 0 && e.Message != "" {
		parts = append(parts, e.Message)
	}
	if len(parts) == 0 {
		return err.Error()
	}
	return strings.Join(parts, " ")
}

// flagOfField names the command-line input a field error is about, as a
// prefix of its message ("--login: …"); fields no flag sets get none.
func flagOfField(field string) string {
	switch field {
	case "login", "role", "commune_code", "unit_code", "centre_id":
		return "--" + strings.ReplaceAll(field, "_", "-") + ": "
	case "unit_id": // the grant's unit, named by its code here
		return "--unit-code: "
	case "password", "new_password":
		return "password: "
	}
	return ""
}
