export enum EnumQueue {
    notification = 'notification',
    notificationEmail = 'notificationEmail',
    notificationPush = 'notificationPush',
}

export enum EnumQueuePriority {
    high = 1,
    medium = 5,
    low = 10,
}
