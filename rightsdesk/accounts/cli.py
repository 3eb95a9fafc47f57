"""`rightsdesk otp USERNAME`: enrol an authenticator app (the second factor) for an account, on
the server. The only way an administrator gets one (see secondfactor.py)."""

import json

from rightsdesk.console import CommandError, run_migrations, setup_django


def print_enrolment(username, url, out=print):
    """What the person at the terminal scans or types into an authenticator app."""
    from . import secondfactor

    secret = url.split("secret=", 1)[1].split("&", 1)[0]
    out(f"  Second factor for {username!r}: scan this with an authenticator app (Aegis, FreeOTP, Google Authenticator…),")
    out("  or type the key below into it. Signing in asks for the 6-digit code the app then shows.")
    out(secondfactor.qr_text(url).rstrip("\n"))
    out(f"  Key:    {secret}")
    out(f"  otpauth address: {url}")


def cmd_otp(args):
    setup_django()
    run_migrations()
    from django.contrib.auth import get_user_model

    from . import secondfactor

    user = get_user_model().objects.filter(username=args.username).first()
    if user is None:
        raise CommandError(f"no account named {args.username!r}: check the name (Settings › Users in the admin)")
    if args.status:
        enrolled = secondfactor.has_device(user)
        if args.json:
            print(json.dumps({"username": user.username, "enrolled": enrolled,
                              "required": secondfactor.required_for(user)}))
        else:
            print(f"{user.username}: {'has' if enrolled else 'has no'} second factor"
                  f"{' (required)' if secondfactor.required_for(user) else ''}.")
        return 0
    if secondfactor.has_device(user) and not args.replace:
        raise CommandError(f"{user.username!r} already has an authenticator: add --replace to enrol a new one "
                           "(the old one then stops working, e.g. for a lost phone)")
    device = secondfactor.enrol(user)
    if args.json:
        print(json.dumps({"username": user.username, "otpauth": device.config_url}))
    else:
        print_enrolment(user.username, device.config_url)
        print("  Shown only now; anyone who sees it can make codes for this account.")
    return 0


def register(verbs):
    p = verbs.add_parser(
        "otp", help="enrol an authenticator app (second factor) for an admin account",
        description="Make a new authenticator key for the account and print it as a QR code, a key and an otpauth:// "
        "address. Administrators get theirs only this way. --replace replaces an existing one (a lost phone); "
        "--status says whether the account has one.",
    )
    p.add_argument("username")
    p.add_argument("--replace", action="store_true", help="replace the account's authenticator")
    p.add_argument("--status", action="store_true", help="only say whether the account has one")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_otp)
