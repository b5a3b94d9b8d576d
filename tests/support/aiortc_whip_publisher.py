"""A WHIP publisher built on aiortc (Python), a WebRTC stack independent of Chromium.

Usage: aiortc_whip_publisher.py <whip-url> <stream-key> <H264|VP8> <seconds>
Publishes moving synthetic video and a tone, prints the WHIP answer's status and Location as JSON lines,
then ends the session with DELETE.
"""
import asyncio
import json
import sys
import urllib.parse
import urllib.request

import numpy as np
from aiortc import RTCPeerConnection, RTCSessionDescription, VideoStreamTrack
from aiortc.mediastreams import AudioStreamTrack
from aiortc.rtcrtpsender import RTCRtpSender
from av import VideoFrame


class MovingBar(VideoStreamTrack):
    def __init__(self):
        super().__init__()
        self.frame = 0

    async def recv(self):
        pts, time_base = await self.next_timestamp()
        image = np.zeros((240, 320, 3), np.uint8)
        image[:, (self.frame * 4) % 320:] = (0, 128, 255)
        self.frame += 1
        frame = VideoFrame.from_ndarray(image, format="bgr24")
        frame.pts = pts
        frame.time_base = time_base
        return frame


def say(**fields):
    print(json.dumps(fields), flush=True)


async def publish(url, key, codec, seconds):
    pc = RTCPeerConnection()
    video = pc.addTransceiver(MovingBar(), direction="sendonly")
    pc.addTransceiver(AudioStreamTrack(), direction="sendonly")
    video.setCodecPreferences([c for c in RTCRtpSender.getCapabilities("video").codecs if c.mimeType.lower() == f"video/{codec.lower()}"])
    # aiortc gathers before resolving: the offer carries every candidate, as WHIP without trickle wants.
    await pc.setLocalDescription(await pc.createOffer())
    request = urllib.request.Request(url, data=pc.localDescription.sdp.encode(), method="POST",
                                     headers={"content-type": "application/sdp", "authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request) as response:
        answer = response.read().decode()
        location = response.headers["location"]
        say(event="answered", status=response.status, location=location, contentType=response.headers["content-type"])
    await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
    await asyncio.sleep(seconds)
    request = urllib.request.Request(urllib.parse.urljoin(url, location), method="DELETE", headers={"authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request) as response:
        say(event="deleted", status=response.status)
    await pc.close()


asyncio.run(publish(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])))
