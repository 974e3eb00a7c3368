//! The native dialog shown when the vault cannot be opened at start: a damaged file,
//! one from a newer Latchkey, a folder that refuses writes. It says what happened, that
//! nothing was changed and what to do, in English or Korean after the OS's language,
//! and offers to open the data folder. The app then quits with status 1; no window
//! opens on a vault that is not there.

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::{DialogExt as _, MessageDialogButtons, MessageDialogKind};
use tauri_plugin_latchkey::{StartFailure, StartProblem};

/// The languages the dialog speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// English, also for any language Latchkey does not speak.
    English,
    /// Korean.
    Korean,
}

impl Language {
    /// The language of a BCP 47 or POSIX locale name (`ko-KR`, `ko_KR.UTF-8`).
    pub fn of_locale(locale: &str) -> Self {
        if tauri_plugin_latchkey::is_korean(locale) {
            Self::Korean
        } else {
            Self::English
        }
    }

    /// The OS's language for this user.
    pub fn of_system() -> Self {
        if tauri_plugin_latchkey::os_speaks_korean() {
            Self::Korean
        } else {
            Self::English
        }
    }
}

/// What the dialog says: its title, its text, and the labels of its two buttons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The window title.
    pub title: &'static str,
    /// The explanation, with the file or folder it is about.
    pub text: String,
    /// The button that opens the data folder.
    pub open_folder: &'static str,
    /// The button that quits.
    pub quit: &'static str,
}

/// The dialog's words for `failure` in `language`.
pub fn message(failure: &StartFailure, language: Language) -> Message {
    let file = failure.vault_path.display();
    let folder = failure.data_dir().display();
    match language {
        Language::English => Message {
            title: "Latchkey cannot start",
            text: match failure.problem {
                StartProblem::NotAVault => format!(
                    "The vault file is damaged or is not a Latchkey vault:\n{file}\n\n\
                     Nothing was changed. Restore a backup (latchkey restore FILE), or move \
                     the file out of the folder to start again with an empty vault."
                ),
                StartProblem::TooNew => format!(
                    "This vault was written by a newer version of Latchkey:\n{file}\n\n\
                     Nothing was changed. Install that version or a later one."
                ),
                StartProblem::SqliteTooOld => format!(
                    "This system's SQLite library is older than 3.37, which Latchkey needs. \
                     Update the sqlite3 package, then start Latchkey again.\n\n\
                     Nothing was changed:\n{file}"
                ),
                StartProblem::InUse => format!(
                    "A restore is replacing the vault right now:\n{file}\n\n\
                     Wait until it has finished, then start Latchkey again."
                ),
                StartProblem::Storage => format!(
                    "Latchkey cannot write to its data folder:\n{folder}\n\n\
                     Check that the disk has free space and that the folder is not \
                     read-only. Nothing was changed."
                ),
                StartProblem::Other => format!(
                    "Latchkey could not open its vault:\n{file}\n\n{} The log file has the \
                     details.",
                    failure.detail
                ),
            },
            open_folder: "Open the data folder",
            quit: "Quit",
        },
        Language::Korean => Message {
            title: "Latchkey를 시작할 수 없습니다",
            text: match failure.problem {
                StartProblem::NotAVault => format!(
                    "저장소 파일이 손상되었거나 Latchkey 저장소가 아닙니다:\n{file}\n\n\
                     아무것도 바뀌지 않았습니다. 백업을 복원하거나(latchkey restore 파일), \
                     파일을 폴더 밖으로 옮겨 빈 저장소로 다시 시작하세요."
                ),
                StartProblem::TooNew => format!(
                    "이 저장소는 더 새로운 버전의 Latchkey로 기록되었습니다:\n{file}\n\n\
                     아무것도 바뀌지 않았습니다. 그 버전 이상을 설치하세요."
                ),
                StartProblem::SqliteTooOld => format!(
                    "이 시스템의 SQLite 라이브러리가 Latchkey에 필요한 3.37보다 \
                     오래되었습니다. sqlite3 패키지를 업데이트한 뒤 Latchkey를 다시 \
                     시작하세요.\n\n아무것도 바뀌지 않았습니다:\n{file}"
                ),
                StartProblem::InUse => format!(
                    "지금 백업 복원이 저장소를 교체하고 있습니다:\n{file}\n\n\
                     복원이 끝난 뒤 Latchkey를 다시 시작하세요."
                ),
                StartProblem::Storage => format!(
                    "Latchkey가 데이터 폴더에 쓸 수 없습니다:\n{folder}\n\n\
                     디스크에 여유 공간이 있는지, 폴더가 읽기 전용이 아닌지 확인하세요. \
                     아무것도 바뀌지 않았습니다."
                ),
                StartProblem::Other => format!(
                    "Latchkey가 저장소를 열지 못했습니다:\n{file}\n\n\
                     자세한 내용은 로그 파일에 있습니다."
                ),
            },
            open_folder: "데이터 폴더 열기",
            quit: "종료",
        },
    }
}

/// Shows the dialog for `failure`; once it is answered, opens the data folder if asked
/// and quits with status 1. Returns at once: the answer comes on the event loop.
pub fn show<R: Runtime>(app: &AppHandle<R>, failure: &StartFailure) {
    let language = Language::of_system();
    log::info!("start-up dialog: {:?}, in {language:?}", failure.problem);
    let words = message(failure, language);
    let folder = failure.data_dir().to_owned();
    let handle = app.clone();
    app.dialog()
        .message(words.text)
        .title(words.title)
        .kind(MessageDialogKind::Error)
        .buttons(MessageDialogButtons::OkCancelCustom(
            words.open_folder.into(),
            words.quit.into(),
        ))
        .show(move |open_folder| {
            if open_folder && let Err(e) = tauri_plugin_opener::open_path(&folder, None::<&str>) {
                log::warn!("could not open {}: {e}", folder.display());
            }
            handle.exit(1);
        });
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn failure(problem: StartProblem) -> StartFailure {
        StartFailure {
            problem,
            vault_path: PathBuf::from("/home/desk/.local/share/app.latchkey.desktop/vault.sqlite"),
            detail: "This vault could not be opened.".into(),
        }
    }

    const PROBLEMS: [StartProblem; 6] = [
        StartProblem::NotAVault,
        StartProblem::TooNew,
        StartProblem::SqliteTooOld,
        StartProblem::InUse,
        StartProblem::Storage,
        StartProblem::Other,
    ];

    #[test]
    fn korean_locales_get_korean_and_every_other_english() {
        for locale in ["ko", "ko-KR", "ko_KR.UTF-8", "KO-kr"] {
            assert_eq!(Language::of_locale(locale), Language::Korean, "{locale}");
        }
        for locale in ["en-US", "C", "", "kok-IN", "de_DE.UTF-8"] {
            assert_eq!(Language::of_locale(locale), Language::English, "{locale}");
        }
    }

    #[test]
    fn every_problem_is_explained_in_both_languages_with_the_place_it_concerns() {
        for problem in PROBLEMS {
            let failure = failure(problem);
            let english = message(&failure, Language::English);
            let korean = message(&failure, Language::Korean);
            let place = if problem == StartProblem::Storage {
                "/home/desk/.local/share/app.latchkey.desktop"
            } else {
                "/home/desk/.local/share/app.latchkey.desktop/vault.sqlite"
            };
            for words in [&english, &korean] {
                assert!(words.text.contains(place), "{problem:?}: {}", words.text);
                assert!(!words.title.is_empty() && !words.quit.is_empty());
            }
            assert_ne!(english.text, korean.text);
            assert!(korean.text.chars().any(|c| ('가'..='힣').contains(&c)));
            // A person who can do nothing but wait is told that nothing was lost.
            if problem != StartProblem::InUse && problem != StartProblem::Other {
                assert!(english.text.contains("Nothing was changed"), "{problem:?}");
                assert!(
                    korean.text.contains("아무것도 바뀌지 않았습니다"),
                    "{problem:?}"
                );
            }
        }
    }
}
