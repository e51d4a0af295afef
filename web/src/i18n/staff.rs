//! Signing in.

texts! {
    StaffText {
        SignIn => "Sign in", "登录";
        SigningIn => "Signing in…", "正在登录…";
        Password => "Password", "密码";
        WrongCredentials => "Wrong email or password.", "邮箱或密码错误。";
        TooManyAttempts => "Too many failed sign-ins. Please wait a few minutes.", "登录失败次数过多，请稍后再试。";
    }
}
