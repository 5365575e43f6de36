//! The host end of an SCU board's UART (`docs/host-protocol.md`): a serial device — or a
//! pseudo-terminal standing in for one — opened raw, 8N1, at a chosen baud, as the byte stream
//! (`scu_driver::link::Transport`) under the driver's `UartBus`.
//!
//! termios through `libc` only: no crate that needs system libraries (libudev) for what is
//! one `open` and one `tcsetattr`.

use scu_driver::link::{LinkError, Transport};
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

/// The bauds termios names (Linux).
const BAUDS: [(u32, libc::speed_t); 18] = [
    (9600, libc::B9600),
    (19200, libc::B19200),
    (38400, libc::B38400),
    (57600, libc::B57600),
    (115200, libc::B115200),
    (230400, libc::B230400),
    (460800, libc::B460800),
    (500000, libc::B500000),
    (576000, libc::B576000),
    (921600, libc::B921600),
    (1000000, libc::B1000000),
    (1152000, libc::B1152000),
    (1500000, libc::B1500000),
    (2000000, libc::B2000000),
    (2500000, libc::B2500000),
    (3000000, libc::B3000000),
    (3500000, libc::B3500000),
    (4000000, libc::B4000000),
];

/// The bauds [`SerialTransport::open`] accepts.
pub fn supported_bauds() -> impl Iterator<Item = u32> {
    BAUDS.iter().map(|&(b, _)| b)
}

/// A terminal device in raw 8N1 mode; `recv` waits at most `timeout` for its bytes.
#[derive(Debug)]
pub struct SerialTransport {
    file: File,
    timeout: Duration,
}

fn check(ret: libc::c_int) -> io::Result<()> {
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

impl SerialTransport {
    /// Opens `path` (a serial device or a pty) and sets it to raw 8N1 at `baud`, no flow
    /// control, modem lines ignored; bytes already waiting in either direction are discarded.
    pub fn open(path: &Path, baud: u32, timeout: Duration) -> io::Result<Self> {
        let speed = BAUDS
            .iter()
            .find(|&&(b, _)| b == baud)
            .map(|&(_, s)| s)
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "unsupported baud {baud} (one of {})",
                        supported_bauds()
                            .map(|b| b.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
        // O_NONBLOCK: opening must not wait for carrier detect on a modem-control line.
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NOCTTY | libc::O_NONBLOCK)
            .open(path)?;
        let fd = file.as_raw_fd();
        // SAFETY: fd is open for the whole block; termios is plain data that tcgetattr fills.
        unsafe {
            if libc::isatty(fd) != 1 {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "not a terminal device (a serial port or a pty)",
                ));
            }
            let flags = libc::fcntl(fd, libc::F_GETFL);
            check(flags)?;
            check(libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK))?;
            let mut t: libc::termios = std::mem::zeroed();
            check(libc::tcgetattr(fd, &mut t))?;
            libc::cfmakeraw(&mut t);
            t.c_cflag &= !(libc::CSTOPB | libc::PARENB | libc::CRTSCTS | libc::CSIZE);
            t.c_cflag |= libc::CS8 | libc::CLOCAL | libc::CREAD;
            t.c_iflag &= !(libc::IXON | libc::IXOFF | libc::IXANY);
            // Reads return what is there; `recv` waits with poll(2) for its deadline.
            t.c_cc[libc::VMIN] = 0;
            t.c_cc[libc::VTIME] = 0;
            check(libc::cfsetispeed(&mut t, speed))?;
            check(libc::cfsetospeed(&mut t, speed))?;
            check(libc::tcsetattr(fd, libc::TCSANOW, &t))?;
            check(libc::tcflush(fd, libc::TCIOFLUSH))?;
        }
        Ok(SerialTransport { file, timeout })
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Waits until the device is readable or `deadline` passes; false on timeout.
    fn wait_readable(&self, deadline: Instant) -> Result<bool, LinkError> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(false);
            }
            let mut p = libc::pollfd {
                fd: self.file.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            let ms = left.as_millis().clamp(1, i32::MAX as u128) as libc::c_int;
            // SAFETY: one valid pollfd for the duration of the call.
            let n = unsafe { libc::poll(&mut p, 1, ms) };
            if n < 0 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(io_error(&e));
            }
            if n == 0 {
                continue;
            }
            if p.revents & libc::POLLIN != 0 {
                return Ok(true);
            }
            if p.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
                return Err(LinkError::Closed);
            }
        }
    }
}

fn io_error(e: &io::Error) -> LinkError {
    match e.raw_os_error() {
        // A pty whose other end has gone away, or an unplugged USB adapter.
        Some(libc::EIO) | Some(libc::ENXIO) | Some(libc::ENODEV) => LinkError::Closed,
        Some(errno) => LinkError::Io(errno),
        None => LinkError::Io(0),
    }
}

impl Transport for SerialTransport {
    fn send(&mut self, bytes: &[u8]) -> Result<(), LinkError> {
        self.file.write_all(bytes).map_err(|e| io_error(&e))
    }

    fn recv(&mut self, buf: &mut [u8]) -> Result<(), LinkError> {
        let deadline = Instant::now() + self.timeout;
        let mut filled = 0;
        while filled < buf.len() {
            if !self.wait_readable(deadline)? {
                return Err(LinkError::Timeout);
            }
            match self.file.read(&mut buf[filled..]) {
                Ok(0) => return Err(LinkError::Closed),
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io_error(&e)),
            }
        }
        Ok(())
    }
}

/// A link error as a sentence, with the operating system's words for an errno.
pub fn describe(e: LinkError) -> String {
    match e {
        LinkError::Io(errno) if errno != 0 => {
            format!(
                "I/O error on the link: {}",
                io::Error::from_raw_os_error(errno)
            )
        }
        e => e.to_string(),
    }
}
