//! [`UartBus`]: the driver's [`Bus`] over a [`Transport`], one frame per access.

use super::error::LinkError;
use super::frame::{
    decode_response, response_frame_len, LinkInfo, Request, HEADER_BYTES, MAX_REQUEST_BYTES,
    MAX_RESPONSE_BYTES, MAX_WORDS,
};
use crate::bus::Bus;

/// A byte stream to the board: a serial port, a pseudo-terminal, a simulated board.
pub trait Transport {
    /// Sends all of `bytes`.
    fn send(&mut self, bytes: &[u8]) -> Result<(), LinkError>;
    /// Fills all of `buf`, or fails ([`LinkError::Timeout`] when the bytes do not come).
    fn recv(&mut self, buf: &mut [u8]) -> Result<(), LinkError>;
}

impl<T: Transport + ?Sized> Transport for &mut T {
    fn send(&mut self, bytes: &[u8]) -> Result<(), LinkError> {
        (**self).send(bytes)
    }

    fn recv(&mut self, buf: &mut [u8]) -> Result<(), LinkError> {
        (**self).recv(buf)
    }
}

/// The SCU's register bus over a UART link: each `read32`/`write32` is one READ/WRITE frame of
/// one word, answered before the next is sent; `seq` counts frames (wrapping).
///
/// The [`Bus`] trait has no error path, so the first link failure is kept ([`UartBus::error`])
/// and ends the link: from then on reads return 0 and writes are dropped, with nothing sent
/// (a retried WRITE of `CMD` could start a command twice). A caller checks `error()` after
/// each driver call, before trusting its result.
#[derive(Debug)]
pub struct UartBus<T: Transport> {
    transport: T,
    seq: u8,
    error: Option<LinkError>,
    frames: u64,
}

impl<T: Transport> UartBus<T> {
    /// Sends nothing until the first access; the first frame has `seq` 0.
    pub fn new(transport: T) -> Self {
        UartBus {
            transport,
            seq: 0,
            error: None,
            frames: 0,
        }
    }

    /// The failure that ended the link, if any.
    pub fn error(&self) -> Option<LinkError> {
        self.error
    }

    /// Request frames sent (the answered ones, and a failed last one).
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// The `seq` of the next frame.
    pub fn next_seq(&self) -> u8 {
        self.seq
    }

    pub fn transport(&mut self) -> &mut T {
        &mut self.transport
    }

    pub fn into_transport(self) -> T {
        self.transport
    }

    /// INFO: the protocol version, W, slots, words per frame and the board's bit time.
    pub fn info(&mut self) -> Result<LinkInfo, LinkError> {
        let mut payload = [0u8; 6];
        self.exchange(Request::Info, &mut payload)?;
        let info = LinkInfo::from_payload(&payload);
        if let Err(e) = info {
            self.error = Some(e);
        }
        info
    }

    /// One READ frame: `out.len()` (1 … 8) words from byte offset `offset` onwards.
    pub fn read_words(
        &mut self,
        offset: u32,
        privileged: bool,
        out: &mut [u32],
    ) -> Result<(), LinkError> {
        let mut bytes = [0u8; 4 * MAX_WORDS];
        let n = out.len();
        let req = Request::Read {
            privileged,
            addr: offset,
            n,
        };
        self.exchange(req, &mut bytes[..4 * n.min(MAX_WORDS)])?;
        for (w, b) in out.iter_mut().zip(bytes.chunks_exact(4)) {
            *w = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }
        Ok(())
    }

    /// One WRITE frame: `words` (1 … 8) to byte offset `offset` onwards.
    pub fn write_words(
        &mut self,
        offset: u32,
        privileged: bool,
        words: &[u32],
    ) -> Result<(), LinkError> {
        let req = Request::Write {
            privileged,
            addr: offset,
            words,
        };
        self.exchange(req, &mut [])
    }

    /// Sends `req`, waits for its response and copies the payload into `payload` (exactly its
    /// expected length). A request that cannot be framed fails without sending and without
    /// ending the link; every other failure ends it.
    fn exchange(&mut self, req: Request, payload: &mut [u8]) -> Result<(), LinkError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let mut frame = [0u8; MAX_REQUEST_BYTES];
        let n = req.encode(self.seq, &mut frame)?;
        let seq = self.seq;
        self.seq = self.seq.wrapping_add(1);
        self.frames += 1;
        let r = self.transfer(&frame[..n], seq, req.response_len(), payload);
        if let Err(e) = r {
            self.error = Some(e);
        }
        r
    }

    fn transfer(
        &mut self,
        request: &[u8],
        seq: u8,
        expected: usize,
        payload: &mut [u8],
    ) -> Result<(), LinkError> {
        self.transport.send(request)?;
        let mut frame = [0u8; MAX_RESPONSE_BYTES];
        let mut header = [0u8; HEADER_BYTES];
        self.transport.recv(&mut header)?;
        // Sync and len first: a bad header says nothing about how many bytes follow.
        let total = response_frame_len(&header)?;
        frame[..HEADER_BYTES].copy_from_slice(&header);
        self.transport.recv(&mut frame[HEADER_BYTES..total])?;
        let p = decode_response(&frame[..total], seq, expected)?;
        payload.copy_from_slice(p);
        Ok(())
    }
}

impl<T: Transport> Bus for UartBus<T> {
    fn read32(&mut self, offset: u32, privileged: bool) -> u32 {
        let mut w = [0u32];
        match self.read_words(offset, privileged, &mut w) {
            Ok(()) => w[0],
            Err(e) => {
                // A framing refusal is as final as a link failure: the Bus cannot report it.
                self.error.get_or_insert(e);
                0
            }
        }
    }

    fn write32(&mut self, offset: u32, value: u32, privileged: bool) {
        if let Err(e) = self.write_words(offset, privileged, &[value]) {
            self.error.get_or_insert(e);
        }
    }
}
