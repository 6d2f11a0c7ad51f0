# Start Lotkeeper when "pi" logs in on the Pi's own screen (tty1), not over SSH.
# Install: append to ~/.profile:   cat deploy/autologin/lotkeeper-profile.sh >> ~/.profile
# Quitting the app (Ctrl+Q) leaves you at a shell prompt; `exit` starts it again after autologin.
if [ "$(tty)" = "/dev/tty1" ] && [ -x "$HOME/lotkeeper/.venv/bin/lotkeeper" ]; then
    "$HOME/lotkeeper/.venv/bin/lotkeeper"
fi
