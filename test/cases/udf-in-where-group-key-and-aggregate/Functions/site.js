function main(deviceId) {
    return deviceId.split("-")[0];
}
