//! Thread-view actions that leave the app: saving an attachment, copying via OSC 52.
use super::*;

impl MailPane {
    pub(super) fn save_attachment(&mut self, core: &mut Core) {
        let Some(m) = self.thread.as_ref().and_then(|t| t.focused()) else {
            return;
        };
        let Some(a) = m.m.attachments.get(m.attachment) else {
            core.info("This message has no attachments.");
            return;
        };
        if !a.is_ready() {
            core.error(format!(
                "{} is not ready on Plannr yet (status “{}”), so it is not downloaded; try again later.",
                a.display_name(),
                a.status.as_deref().unwrap_or("")
            ));
            return;
        }
        let Some(url) = a.download_url.clone().filter(|u| !u.trim().is_empty()) else {
            core.error(format!(
                "{} has no download link from Plannr, so it cannot be saved.",
                a.display_name()
            ));
            return;
        };
        if let Some(d) = &self.download {
            core.info(format!("Still saving {}; one download at a time.", d.name));
            return;
        }
        let name = a.display_name().to_string();
        let id = core.track(AppRoute::Mail(Route::Download { name: name.clone() }));
        core.out.push(Command::Download {
            id,
            url,
            dir: self.download_dir.clone(),
            name: name.clone(),
        });
        core.info(format!("Saving {name}…"));
        self.download = Some(Download {
            id,
            name,
            done: 0,
            total: a.size,
        });
    }

    pub(super) fn copy(&mut self, core: &mut Core) {
        let Some(m) = self.thread.as_ref().and_then(|t| t.focused()) else {
            return;
        };
        if !core.settings.osc52_copy {
            core.info("Copying is off: set osc52_copy = true in the config to copy through the terminal (OSC 52).");
            return;
        }
        let mut text = body::copy_text(m);
        if text.trim().is_empty() {
            // An empty OSC 52 payload would clear the user's clipboard.
            core.info("Nothing to copy: this message has no text.");
            return;
        }
        let mut note = "";
        if text.len() > OSC52_MAX {
            let mut cut = OSC52_MAX;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            note = " (cut to the first 100 KB: terminals refuse more)";
        }
        core.out.push(Command::Osc52(base64(text.as_bytes())));
        core.info(format!(
            "Copied the message text{note}. If nothing arrived, your terminal may block OSC 52."
        ));
    }

    // ---------------------------------------------------------------- keys and results
}
